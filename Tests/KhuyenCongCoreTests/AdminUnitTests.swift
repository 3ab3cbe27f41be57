import Testing
@testable import KhuyenCongCore

@Suite("Administrative units across the 2025 merger")
struct AdminUnitTests {
    let catalog = AdminUnitCatalog.standard

    @Test func codeTwentyFourIsBacGiangIn2024AndBacNinhIn2026() throws {
        #expect(try catalog.resolve(code: "24", planYear: 2024).name == "Bắc Giang")
        #expect(try catalog.resolve(code: "24", planYear: 2026).name == "Bắc Ninh")
        #expect(try catalog.resolve(code: "15", planYear: 2024).name == "Yên Bái")
        #expect(try catalog.resolve(code: "15", planYear: 2026).name == "Lào Cai")
    }

    @Test func planYear2025IsResolvedOnTheUnitsOfFirstJanuary() throws {
        #expect(try catalog.resolve(code: "27", planYear: 2025).name == "Bắc Ninh")
        #expect(try catalog.resolve(code: "24", planYear: 2025).name == "Bắc Giang")
    }

    @Test func aCodeThatNoLongerExistsIsRefusedForTheYear() {
        #expect(throws: DomainError.self) { try catalog.resolve(code: "27", planYear: 2026) }   // old Bắc Ninh
        #expect(throws: DomainError.self) { try catalog.resolve(code: "99", planYear: 2024) }
    }

    @Test func bacGiangAndOldBacNinhRestateIntoTheNewBacNinh() throws {
        let bacGiang = try catalog.resolve(code: "24", planYear: 2024)
        let oldBacNinh = try catalog.resolve(code: "27", planYear: 2024)
        let newBacNinh = try catalog.resolve(code: "24", planYear: 2026)
        #expect(catalog.restated(bacGiang) == newBacNinh)
        #expect(catalog.restated(oldBacNinh) == newBacNinh)
        #expect(catalog.restated(newBacNinh) == newBacNinh)
    }

    @Test func theNorthHas28ProvincesBeforeTheMergerAnd18After() {
        #expect(catalog.units(in: .north, planYear: 2024).count == 28)
        #expect(catalog.units(in: .north, planYear: 2026).count == 18)
        #expect(catalog.units(in: nil, planYear: 2024).count == 63)
        #expect(catalog.units(in: nil, planYear: 2026).count == 34)
    }
}
