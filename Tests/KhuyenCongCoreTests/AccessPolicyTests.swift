import Testing
@testable import KhuyenCongCore

@Suite("Access policy")
struct AccessPolicyTests {
    let thanhHoa = RecordScope(unitCode: "38", region: .north)
    let ngheAn = RecordScope(unitCode: "40", region: .north)
    let hue = RecordScope(unitCode: "46", region: .central)
    let officer38 = Principal(username: "o38", role: .provinceOfficer, unitCode: "38", region: .north)
    let ministry = Principal(username: "m", role: .ministryOfficer, unitCode: nil, region: nil)
    let reviewerNorth = Principal(username: "r", role: .regionReviewer, unitCode: nil, region: .north)

    @Test func aProvinceOfficerCannotSeeOrChangeAnotherProvincesRecords() {
        #expect(AccessPolicy.decide(officer38, .readRecord, thanhHoa) == .allow)
        #expect(AccessPolicy.decide(officer38, .editRecord, thanhHoa) == .allow)
        #expect(AccessPolicy.decide(officer38, .readRecord, ngheAn) == .notFound)
        #expect(AccessPolicy.decide(officer38, .editRecord, ngheAn) == .notFound)
        #expect(AccessPolicy.decide(officer38, .ministryStep, thanhHoa) == .forbidden)
    }

    @Test func theMinistryReadsEverythingButDoesNotEnterProvinceData() {
        #expect(AccessPolicy.decide(ministry, .readRecord, ngheAn) == .allow)
        #expect(AccessPolicy.decide(ministry, .readRecord, hue) == .allow)
        #expect(AccessPolicy.decide(ministry, .editRecord, ngheAn) == .forbidden)
        #expect(AccessPolicy.decide(ministry, .ministryStep, hue) == .allow)
    }

    @Test func aReviewerStaysInTheRegion() {
        #expect(AccessPolicy.decide(reviewerNorth, .readRecord, ngheAn) == .allow)
        #expect(AccessPolicy.decide(reviewerNorth, .readRecord, hue) == .notFound)
        #expect(AccessPolicy.decide(reviewerNorth, .ministryStep, ngheAn) == .allow)
        #expect(AccessPolicy.decide(reviewerNorth, .ministryStep, hue) == .notFound)
    }

    @Test func onlyTheMinistryDecidesTheNationalPlanAndItsAllocation() {
        #expect(AccessPolicy.decide(ministry, .ministryDecision, thanhHoa) == .allow)
        #expect(AccessPolicy.decide(reviewerNorth, .ministryDecision, thanhHoa) == .forbidden)
        #expect(AccessPolicy.decide(reviewerNorth, .ministryDecision, hue) == .notFound)
        #expect(AccessPolicy.decide(officer38, .ministryDecision, thanhHoa) == .forbidden)
    }

    @Test func anAppraiserNeverScoresTheirOwnUnit() {
        let appraiser = Principal(username: "a", role: .appraiser, unitCode: "40", region: .north)
        #expect(AccessPolicy.decide(appraiser, .appraise, thanhHoa) == .allow)
        #expect(AccessPolicy.decide(appraiser, .appraise, ngheAn) == .forbidden)
        #expect(AccessPolicy.decide(appraiser, .readRecord, hue) == .notFound)
    }

    @Test func anonymousAndViewersSeeAggregatesOnly() {
        #expect(AccessPolicy.decide(nil, .readAggregates) == .allow)
        #expect(AccessPolicy.decide(nil, .readRecord, thanhHoa) == .unauthenticated)
        let viewer = Principal(username: "v", role: .viewer, unitCode: nil, region: nil)
        #expect(AccessPolicy.decide(viewer, .readAggregates) == .allow)
        #expect(AccessPolicy.decide(viewer, .readRecord, thanhHoa) == .notFound)
        #expect(AccessPolicy.decide(viewer, .readAudit) == .forbidden)
    }

    @Test func onlyAdminsManageUsers() {
        for role in Role.allCases {
            let principal = Principal(username: "x", role: role, unitCode: "38", region: .north)
            #expect((AccessPolicy.decide(principal, .manageUsers) == .allow) == (role == .admin))
        }
    }
}
