import Testing
@testable import KhuyenCongCore

@Suite("Tax codes and the project lifecycle")
struct TaxCodeAndLifecycleTests {
    @Test func tenAndThirteenDigitCodesCarryACheckDigit() throws {
        #expect(try TaxCode("0100109106").digits == "0100109106")
        #expect(try TaxCode("0100109106-001").description == "0100109106-001")
        #expect(try TaxCode("001085012345").digits.count == 12)     // a citizen ID: no check digit
        #expect(throws: DomainError.self) { try TaxCode("0100109107") }      // wrong check digit
        #expect(throws: DomainError.self) { try TaxCode("0100109107-001") }
        #expect(throws: DomainError.self) { try TaxCode("01001091") }
        #expect(throws: DomainError.self) { try TaxCode("01001O9106") }
    }

    @Test func anIllegalTransitionIsRefused() {
        #expect(throws: DomainError.self) { try Lifecycle.transition(from: .draft, to: .approved, source: .national) }
        #expect(throws: DomainError.self) { try Lifecycle.transition(from: .closed, to: .draft, source: .local) }
        #expect(throws: DomainError.self) { try Lifecycle.transition(from: .approved, to: .settled, source: .national) }
    }

    @Test func localProjectsSkipTheMinistrySteps() throws {
        #expect(throws: DomainError.self) {
            try Lifecycle.transition(from: .appraisedProvince, to: .registered, source: .local)
        }
        #expect(try Lifecycle.transition(from: .appraisedProvince, to: .approved, source: .local).actor == .province)
        #expect(throws: DomainError.self) {
            try Lifecycle.transition(from: .appraisedProvince, to: .approved, source: .national)
        }
        #expect(try Lifecycle.transition(from: .approved, to: .allocated, source: .national).actor == .ministry)
    }

    @Test func everyStepOfTheUsualPathIsALegalTransition() throws {
        for source in FundingSource.allCases {
            for target in ProjectStatus.allCases {
                let path = Lifecycle.path(to: target, source: source)
                if source == .local && target == .registered { continue }
                if source == .local && [.appraisedMinistry, .moved].contains(target) { continue }
                #expect(path.last == target, "path to \(target) for \(source)")
                for (from, to) in zip(path, path.dropFirst()) {
                    _ = try Lifecycle.transition(from: from, to: to, source: source)
                }
            }
        }
    }

    @Test func categoriesOfDecree235ExistFrom2026Only() throws {
        #expect(throws: DomainError.self) { try ReferenceData.category(code: "8", planYear: 2025) }
        #expect(try ReferenceData.category(code: "8", planYear: 2026).englishName == "Digital transformation")
        #expect(throws: DomainError.self) { try ReferenceData.category(code: "0", planYear: 2024) }
    }
}
