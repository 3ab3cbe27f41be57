import Fluent
import KhuyenCongCore
import Vapor

extension Links {
    static let adminRules = SiteRoute.adminRules.path
    static let adminRuleCaps = SiteRoute.adminRulePart(.caps).path
    static let adminRuleAdvances = SiteRoute.adminRulePart(.advances).path
    static let adminRuleDeadlines = SiteRoute.adminRulePart(.deadlines).path
    static let adminRuleRegions = SiteRoute.adminRulePart(.regions).path
}

/// `/admin/rules`: every rule table as it stands, with its history (rows are only added); the administrator adds a
/// dated cap or first-advance row (`RuleAdmin`, guarded, audited); the ministry and the region reviewers read.
struct RulesAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.adminRules, use: show).access(.action(.readAudit))
        routes.post(.adminRulePart(.caps), use: addCap).access(.action(.manageUsers))
        routes.post(.adminRulePart(.advances), use: addAdvance).access(.action(.manageUsers))
        routes.post(.adminRulePart(.deadlines), use: addDeadline).access(.action(.manageUsers))
        routes.post(.adminRulePart(.criteria), use: addCriteria).access(.action(.manageUsers))
        routes.post(.adminRulePart(.regions), use: addRegion).access(.action(.manageUsers))
    }

    @Sendable func show(req: Request) async throws -> Response { try await render(req) }

    private func render(_ req: Request, error: DomainError? = nil, typedCap: [String: String]? = nil,
                        typedAdvance: [String: String]? = nil, typedDeadline: [String: String]? = nil, notice: String? = nil,
                        preview: RulesAdminPage.Preview? = nil, typedCriteria: [String: String]? = nil,
                        typedRegion: [String: String]? = nil) async throws -> Response {
        var page = try await RulesAdminPage.build(req: req, error: error?.description, typedCap: typedCap ?? [:],
                                                  typedAdvance: typedAdvance ?? [:], typedDeadline: typedDeadline ?? [:],
                                                  notice: notice ?? req.query[String.self, at: "notice"], preview: preview)
        page.criteriaForm = try await AppraisalCriteriaAdmin.form(typed: typedCriteria, on: req.db)
        page.regions = try await RegionsSection.build(typed: typedRegion ?? [:], on: req.db)
        page.provinceOptions = RulesAdminPage.provinceOptions(selected: typedCap?["unitCode"])
        let response = try await req.view.render("admin/rules", page).encodeResponse(for: req)
        response.status = error?.status ?? .ok
        return response
    }

    @Sendable func addCap(req: Request) async throws -> Response {
        let typed = ((try? req.content.decode([String: String].self)) ?? [:]).filter { $0.key != "csrf" }
        do {
            let input = RuleAdmin.CapInput(kind: typed["kind"] ?? "", source: typed["source"] ?? "", unitCode: typed["unitCode"].map { UnitCode($0) },
                                           maxSharePercent: typed["maxSharePercent"] ?? "", maxAmountVnd: typed["maxAmountVnd"] ?? "",
                                           per: typed["per"], validFrom: typed["validFrom"] ?? "", validUntil: typed["validUntil"],
                                           legalBasis: typed["legalBasis"] ?? "")
            if typed["preview"] == "1" {
                // Nothing is saved: the rule as typed, checked, and the pending projects it would change.
                try RuleAdmin.checkRight(try req.requireUser())
                let rule = try RuleAdmin.cap(input, book: try await RuleBook.load(on: req.db))
                let rows = try await RulePreview.affected(by: rule, on: req.db)
                var kept = typed
                kept.removeValue(forKey: "preview")
                return try await render(req, typedCap: kept, preview: RulesAdminPage.Preview(rule: rule, rows: rows))
            }
            try await RuleAdmin.addCap(input, by: try req.requireUser(), on: req.db)
            return req.redirect(to: Links.adminRules + "?notice=cap", redirectType: .normal)
        } catch let refusal as DomainError where refusal.kind != .unauthenticated && refusal.kind != .notFound {
            return try await render(req, error: refusal, typedCap: typed)
        }
    }

    @Sendable func addDeadline(req: Request) async throws -> Response {
        let typed = ((try? req.content.decode([String: String].self)) ?? [:]).filter { $0.key != "csrf" }
        do {
            let input = RuleAdmin.DeadlineInput(year: typed["year"] ?? "", step: typed["step"] ?? "", date: typed["date"],
                                                daysAfter: typed["daysAfter"], legalBasis: typed["legalBasis"] ?? "")
            try await RuleAdmin.addDeadline(input, by: try req.requireUser(), on: req.db)
            return req.redirect(to: Links.adminRules + "?notice=deadline", redirectType: .normal)
        } catch let refusal as DomainError where refusal.kind != .unauthenticated && refusal.kind != .notFound {
            return try await render(req, error: refusal, typedDeadline: typed)
        }
    }

    @Sendable func addCriteria(req: Request) async throws -> Response {
        let typed = ((try? req.content.decode([String: String].self)) ?? [:]).filter { $0.key != "csrf" }
        do {
            try await AppraisalCriteriaAdmin.add(AppraisalCriteriaAdmin.input(typed), by: try req.requireUser(), on: req.db)
            return req.redirect(to: Links.adminRules + "?notice=criteria", redirectType: .normal)
        } catch let refusal as DomainError where refusal.kind != .unauthenticated && refusal.kind != .notFound {
            return try await render(req, error: refusal, typedCriteria: typed)
        }
    }

    @Sendable func addRegion(req: Request) async throws -> Response {
        let typed = ((try? req.content.decode([String: String].self)) ?? [:]).filter { $0.key != "csrf" }
        do {
            let input = RegionAdmin.Input(unitCode: UnitCode(typed["unitCode"] ?? ""), unitID: typed["unitID"], region: typed["region"] ?? "",
                                          validFrom: typed["validFrom"] ?? "", validUntil: typed["validUntil"], legalBasis: typed["legalBasis"] ?? "")
            try await RegionAdmin.add(input, by: try req.requireUser(), on: req.db)
            return req.redirect(to: Links.adminRules + "?notice=region#regions", redirectType: .normal)
        } catch let refusal as DomainError where refusal.kind != .unauthenticated && refusal.kind != .notFound {
            return try await render(req, error: refusal, typedRegion: typed)
        }
    }

    @Sendable func addAdvance(req: Request) async throws -> Response {
        let typed = ((try? req.content.decode([String: String].self)) ?? [:]).filter { $0.key != "csrf" }
        do {
            let input = RuleAdmin.AdvanceInput(kind: typed["kind"] ?? "", firstAdvancePercent: typed["firstAdvancePercent"] ?? "",
                                               validFrom: typed["validFrom"] ?? "", legalBasis: typed["legalBasis"] ?? "")
            try await RuleAdmin.addAdvance(input, by: try req.requireUser(), on: req.db)
            return req.redirect(to: Links.adminRules + "?notice=advance", redirectType: .normal)
        } catch let refusal as DomainError where refusal.kind != .unauthenticated && refusal.kind != .notFound {
            return try await render(req, error: refusal, typedAdvance: typed)
        }
    }
}

/// The rules page's context: names, not codes; dates dd/mm/yyyy; money and shares in Vietnamese.
struct RulesAdminPage: Encodable {
    struct Option: Encodable { let value: String; let label: String; let selected: Bool }
    struct KindRow: Encodable { let name: String; let code: String; let category: String; let from: String; let basis: String }
    struct CapRow: Encodable {
        let kind: String; let source: String; let province: String; let share: String; let amount: String; let per: String
        let from: String; let until: String; let basis: String; let recordedBy: String
    }
    struct AdvanceRow: Encodable { let kind: String; let share: String; let from: String; let basis: String; let recordedBy: String }
    struct DeadlineRow: Encodable { let year: Int; let step: String; let due: String; let basis: String }
    struct CriterionRow: Encodable { let name: String; let maxScore: Int; let weight: Int; let from: String; let until: String; let basis: String }

    let title = "Quy định hỗ trợ khuyến công"
    let layout: PageLayout
    let csrf: String
    let error: String?
    let notice: String?
    let canEdit: Bool
    let capAction = Links.adminRuleCaps
    let advanceAction = Links.adminRuleAdvances
    let deadlineAction = Links.adminRuleDeadlines
    let kinds: [KindRow]
    let caps: [CapRow]
    let advances: [AdvanceRow]
    let deadlines: [DeadlineRow]
    let uplift: String
    let criteria: [CriterionRow]
    let kindOptions: [Option]
    let advanceKindOptions: [Option]
    let sourceOptions: [Option]
    let perOptions: [Option]
    let stepOptions: [Option]
    let deadline: [String: String]
    let cap: [String: String]
    let advance: [String: String]
    /// The new cap as typed and the pending projects it would change, before it is saved.
    let preview: Preview?
    /// The form of a new dated set of appraisal criteria (`AppraisalCriteriaAdmin`).
    var criteriaForm: AppraisalCriteriaAdmin.Form? = nil
    /// The regions and their member units, dated, and the form of a new membership (`RegionAdmin`).
    var regions: RegionsSection? = nil
    /// The province of a local cap, by name (the code is sent): today's provinces, then the former ones whose code no
    /// unit of today carries (a cap of an earlier year), and none for a national cap.
    var provinceOptions: [UnitChoices.Choice] = []

    static func provinceOptions(selected: String?) -> [UnitChoices.Choice] {
        let selected = UnitCode(selected?.trimmingCharacters(in: .whitespaces) ?? "")
        var today = UnitChoices.today(selected: selected)
        let codes = Set(today.map(\.value))
        let former = AdminUnitCatalog.standard.units.filter { $0.validUntil != nil && !codes.contains($0.code) }.sorted { $0.name < $1.name }
        // A typed code that is a former unit is offered under that unit's name, not as a bare code.
        today.removeAll { choice in choice.label == "Mã \(choice.value)" && former.contains { $0.code == choice.value } }
        return [UnitChoices.Choice(value: "", label: "— Không (quy định nguồn quốc gia)", selected: selected.rawValue.isEmpty)] + today
            + former.map { UnitChoices.Choice(value: $0.code, label: RegionsSection.name($0, fallback: $0.code.rawValue), selected: $0.code == selected) }
    }

    struct Preview: Encodable {
        struct Row: Encodable {
            let code: String; let title: String; let unit: String; let status: String; let registeredOn: String; let support: String
            let currentCap: String; let newCap: String; let outcome: String; let refused: Bool; let link: String
        }
        let summary: String
        let rows: [Row]

        init(rule: CapRule, rows: [RulePreview.Row]) {
            let refused = rows.filter { !$0.newBreaches.isEmpty }.count
            summary = "Mức mới áp dụng cho đề án có ngày đăng ký từ \(VietnameseFormat.date(rule.validFrom))"
                + (rule.validUntil.map { " đến trước \(VietnameseFormat.date($0))" } ?? "")
                + ": \(rows.count) đề án đang chờ duyệt (đã nộp, đã thẩm định, chưa phê duyệt) chịu ảnh hưởng, \(refused) đề án sẽ vượt mức mới."
                + " Chưa lưu: bấm \"Lưu mức hỗ trợ mới\" để lưu."
            self.rows = rows.map {
                Row(code: $0.code, title: $0.title, unit: $0.unitName, status: $0.status, registeredOn: VietnameseFormat.date($0.registeredOn),
                    support: VietnameseFormat.money($0.support), currentCap: $0.currentCap, newCap: $0.newCap,
                    outcome: $0.newBreaches.isEmpty ? ($0.breachesNow ? "Nay đạt mức (trước đây vượt)" : "Vẫn đạt mức") : $0.newBreaches.joined(separator: "; "),
                    refused: !$0.newBreaches.isEmpty, link: Links.project($0.code))
            }
        }
    }

    static let stepNames = [
        "registration_department": "Đơn vị thực hiện gửi Sở Công Thương", "registration_ministry": "Sở Công Thương gửi Bộ Công Thương",
        "report_h1": "Báo cáo 6 tháng", "report_fy": "Báo cáo năm", "report_q1": "Báo cáo quý I", "report_q2": "Báo cáo quý II",
        "report_q3": "Báo cáo quý III", "report_q4": "Báo cáo quý IV", "settlement_close": "Khóa sổ, quyết toán kinh phí",
        "settlement_file": "Hồ sơ quyết toán",
    ]

    static func build(req: Request, error: String?, typedCap: [String: String], typedAdvance: [String: String],
                      typedDeadline: [String: String], notice: String?, preview: Preview? = nil) async throws -> RulesAdminPage {
        let user = try req.requireUser()
        let db = req.db
        let book = try await RuleBook.load(on: db)
        func kindName(_ code: String) -> String { book.kind(code)?.vietnameseName ?? code }
        func date(_ text: String?) -> String { text.map { VietnameseFormat.date(stored: $0) } ?? "–" }
        func province(_ code: UnitCode?) -> String {
            guard let code else { return "Cả nước" }
            return AdminUnitCatalog.standard.units.last { $0.code == code }?.name ?? code.rawValue
        }
        let capRows = try await CapRecord.query(on: db).sort(\.$kind).sort(\.$source).sort(\.$validFrom).all()
        let advanceRows = try await AdvanceRecord.query(on: db).sort(\.$kind).sort(\.$validFrom).all()
        let dto = try await RulesDTO.load(on: db)
        let thisYear = CalendarDate.today().year
        let deadlines = dto.deadlines.filter { (thisYear - 1...thisYear + 1).contains($0.year) }
            .map { DeadlineRow(year: $0.year, step: stepNames[$0.step] ?? $0.step, due: date($0.date), basis: $0.legalBasis) }
            + dto.relativeDeadlines.filter { $0.year == thisYear }
            .map { DeadlineRow(year: $0.year, step: stepNames[$0.step] ?? $0.step, due: "\($0.daysAfter) ngày sau nghiệm thu cuối cùng", basis: $0.legalBasis) }
        let uplift = dto.priorityUplifts.last.map {
            "Hỗ trợ tối đa \($0.factorPerMille / 1000),\(($0.factorPerMille % 1000) / 100) lần mức thông thường cho địa bàn, ngành nghề ưu tiên, từ \(date($0.validFrom)) (\($0.legalBasis)); chưa áp dụng tự động vào kiểm tra mức hỗ trợ"
        } ?? "–"
        let selectedKind = typedCap["kind"] ?? "machinery"
        let selectedAdvanceKind = typedAdvance["kind"] ?? "machinery"
        return RulesAdminPage(
            layout: PageLayout(req), csrf: CSRF.token(for: req), error: error,
            notice: notice == "cap" ? "Đã thêm mức hỗ trợ mới." : notice == "advance" ? "Đã thêm mức tạm ứng mới."
                : notice == "deadline" ? "Đã thêm thời hạn mới."
                : notice == "criteria" ? "Đã thêm bộ tiêu chí thẩm định mới."
                : notice == "region" ? "Đã thêm khu vực mới của tỉnh; dòng trước đó được đóng lại từ ngày áp dụng." : nil,
            canEdit: AccessPolicyHelper.allows(user, .manageUsers),
            kinds: book.kinds.map { KindRow(name: $0.vietnameseName, code: $0.code, category: $0.category, from: VietnameseFormat.date($0.validFrom), basis: $0.legalBasis) },
            caps: capRows.map { CapRow(kind: kindName($0.kind), source: $0.source.vietnameseName,
                                       province: province($0.unitCode), share: RuleBook.percent($0.maxShareBasisPoints),
                                       amount: VietnameseFormat.money($0.maxAmountVnd),
                                       per: $0.per.vietnameseName, from: date($0.validFrom),
                                       until: date($0.validUntil), basis: $0.legalBasis, recordedBy: Recorder.shown($0.recordedBy)) },
            advances: advanceRows.map { AdvanceRow(kind: kindName($0.kind), share: RuleBook.percent($0.firstAdvanceBasisPoints),
                                                   from: date($0.validFrom), basis: $0.legalBasis, recordedBy: Recorder.shown($0.recordedBy)) },
            deadlines: deadlines, uplift: uplift,
            criteria: dto.appraisalCriteria.map { CriterionRow(name: $0.name, maxScore: $0.maxScore, weight: $0.weight, from: date($0.validFrom),
                                                               until: date($0.validUntil), basis: $0.legalBasis) },
            kindOptions: book.kinds.map { Option(value: $0.code, label: "\($0.category). \($0.vietnameseName)", selected: $0.code == selectedKind) },
            advanceKindOptions: book.kinds.map { Option(value: $0.code, label: "\($0.category). \($0.vietnameseName)", selected: $0.code == selectedAdvanceKind) },
            sourceOptions: FundingSource.allCases.map { Option(value: $0.rawValue, label: $0.vietnameseName, selected: $0.rawValue == (typedCap["source"] ?? "national")) },
            perOptions: CapBasis.allCases.map { Option(value: $0.rawValue, label: "mỗi " + $0.vietnameseName, selected: $0.rawValue == (typedCap["per"] ?? "establishment")) },
            stepOptions: RuleAdmin.deadlineSteps.map { Option(value: $0, label: stepNames[$0] ?? $0, selected: $0 == (typedDeadline["step"] ?? "settlement_close")) },
            deadline: typedDeadline, cap: typedCap, advance: typedAdvance, preview: preview)
    }
}
