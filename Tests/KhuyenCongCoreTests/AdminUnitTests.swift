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

    @Test func binhThuanIsSouthernUntilTheMergerAndCentralWithLamDongAfter() throws {
        #expect(catalog.units(in: .south, planYear: 2024).count == 20)
        #expect(catalog.units(in: .central, planYear: 2024).count == 15)
        let binhThuan = try catalog.resolve(code: "60", planYear: 2024)
        #expect(catalog.region(of: binhThuan, on: CalendarDate(2025, 6, 30)) == .south)
        #expect(catalog.region(of: binhThuan, on: CalendarDate(2025, 7, 1)) == .central)
        #expect(catalog.restatedRegion(of: binhThuan) == .central)
        #expect(catalog.regions(of: binhThuan) == [.south, .central])
        let membership = try #require(catalog.memberships(of: binhThuan).last)
        #expect(membership.region == .south && membership.validUntil == CalendarDate(2025, 7, 1))
        let lamDong = try catalog.resolve(code: "68", planYear: 2026)
        #expect(lamDong.region == .central && catalog.memberships(of: lamDong).first?.validFrom == CalendarDate(2025, 7, 1))
        // Restated, a region counts the old units whose today's unit is in it.
        #expect(catalog.units(in: .central, planYear: 2024, restated: true).contains(binhThuan))
        #expect(!catalog.units(in: .south, planYear: 2024, restated: true).contains(binhThuan))
        #expect(catalog.units(in: .north, planYear: 2024, restated: true) == catalog.units(in: .north, planYear: 2024))
        #expect(catalog.units(in: .central, planYear: 2026).count + catalog.units(in: .south, planYear: 2026).count == 16)
    }

    @Test func aMembershipCanChangeWithinAUnitsValidity() throws {
        let binhThuan = try catalog.resolve(code: "60", planYear: 2024)
        let changed = AdminUnitCatalog(units: catalog.units, memberships: catalog.memberships.filter { $0.unitID != binhThuan.id } + [
            RegionMembership(unitID: binhThuan.id, region: .central, validFrom: AdminUnitCatalog.previousChangeDate, validUntil: CalendarDate(2024, 1, 1), legalBasis: "thử"),
            RegionMembership(unitID: binhThuan.id, region: .south, validFrom: CalendarDate(2024, 1, 1), validUntil: AdminUnitCatalog.mergerDate, legalBasis: "thử"),
        ])
        #expect(changed.units(in: .central, planYear: 2023).contains(binhThuan))
        #expect(changed.units(in: .south, planYear: 2024).contains(binhThuan))
    }
}
