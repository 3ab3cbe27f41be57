import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// A new project, always a draft of the caller's province; with its first beneficiary if one is named.
enum ProjectCreation {
    /// The `projects` columns of the interchange format, in camelCase.
    struct Input: Content {
        /// Absent or empty: generated as `ProjectCode` says (unit-year-source-sequence, e.g. 38-2026-QG-007).
        var code: String?
        let title: String
        let unitCode: UnitCode
        let year: Int
        let source: String
        let category: String
        /// The kind of support within the category (optional: the category's default kind when absent).
        var supportKind: String?
        let implementingUnit: String
        var beneficiaryTaxCode: String?
        var beneficiaryName: String?
        let supportVnd: Money
        var counterpartVnd: Money?
        var status: String?
        var submittedOn: String?
        var approvedOn: String?
        var allocatedOn: String?
        /// Planned outputs: indicator code → quantity.
        var plannedOutputs: [String: Int64]?
        /// The beneficiary's tax code is known and the caller means that establishment (asked for with a 409).
        var confirmExisting: Bool?

        /// The code as given, nil when none was.
        var givenCode: String? {
            code.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    /// Every check that needs no database, all at once; then the unit the project belongs to.
    static func validate(_ input: Input) throws -> AdminUnit {
        var problems: [DomainError] = []
        func check(_ body: () throws -> Void) {
            do { try body() } catch let error as DomainError { problems.append(error) } catch {}
        }
        var unit: AdminUnit?
        check {
            guard let code = input.givenCode else { return }
            guard code.range(of: "^[A-Za-z0-9._-]{3,40}$", options: .regularExpression) != nil else {
                throw DomainError.invalid(vi: "code: chỉ gồm chữ, số, . _ - (3–40 ký tự)", en: "code: letters, digits, . _ - (3–40 characters)")
            }
        }
        check { _ = try ProjectEditing.cleanText(input.title, field: "title", maxLength: 500) }
        check { _ = try ProjectEditing.cleanText(input.implementingUnit, field: "implementingUnit", maxLength: 300) }
        check {
            guard (2000...2100).contains(input.year) else {
                throw DomainError.invalid(vi: "year: năm kế hoạch \(input.year) không hợp lệ", en: "year: plan year \(input.year) is out of range")
            }
            unit = try AdminUnitCatalog.standard.resolve(code: input.unitCode, planYear: input.year)
            _ = try ReferenceData.category(code: input.category, planYear: input.year)
        }
        check { _ = try FundingSource(parsing: input.source) }
        check { _ = try input.supportVnd.requireNonNegative(field: "supportVnd") }
        check { _ = try (input.counterpartVnd ?? 0).requireNonNegative(field: "counterpartVnd") }
        check { try Project.validatePlannedOutputs(input.plannedOutputs ?? [:]) }
        check {
            guard (input.beneficiaryTaxCode == nil) == (input.beneficiaryName == nil) else {
                throw DomainError.invalid(vi: "Cần cả mã số thuế và tên cơ sở thụ hưởng", en: "beneficiaryTaxCode and beneficiaryName go together")
            }
            if let taxCode = input.beneficiaryTaxCode { _ = try TaxCode(taxCode) }
            if let name = input.beneficiaryName { _ = try ProjectEditing.cleanText(name, field: "beneficiaryName", maxLength: 300) }
        }
        check {
            guard (input.status == nil || input.status == ProjectStatus.draft.rawValue),
                  input.submittedOn == nil, input.approvedOn == nil, input.allocatedOn == nil else {
                throw DomainError.invalid(vi: "Đề án mới luôn là dự thảo; trạng thái thay đổi qua các bước xử lý",
                                          en: "a new project is a draft; its status changes through transitions")
            }
        }
        if !problems.isEmpty || unit == nil {
            throw DomainError(.invalidInput, vi: problems.map(\.vietnamese).joined(separator: "; "),
                              en: problems.map(\.english).joined(separator: "; "))
        }
        return unit!
    }

    static func create(_ input: Input, unit: AdminUnit, by user: User, today: CalendarDate = .today(), on db: any Database) async throws -> Project {
        let kind = try await ProjectRules.chosenKind(input.supportKind, category: input.category, on: db)
        let source = try FundingSource(parsing: input.source)
        return try await GuardedWrite.run(on: db) { db in
            let code: String
            if let given = input.givenCode {
                code = given
                if try await Project.query(on: db).filter(\.$code == code).count() > 0 {
                    throw DomainError(.conflict, vi: "Mã đề án \"\(code)\" đã có", en: "project code \"\(code)\" is taken")
                }
            } else {
                code = try await ProjectCode.next(unitCode: unit.code, year: input.year, source: source, on: db)
            }
            let project = Project(code: code, title: try ProjectEditing.cleanText(input.title, field: "title", maxLength: 500),
                                  unitID: unit.id, year: input.year, source: source, categoryCode: input.category,
                                  implementingUnit: try ProjectEditing.cleanText(input.implementingUnit, field: "implementingUnit", maxLength: 300),
                                  supportRequestedVnd: input.supportVnd, supportApprovedVnd: nil, counterpartVnd: input.counterpartVnd ?? 0,
                                  status: .draft, submittedOn: nil, approvedOn: nil, allocatedOn: nil)
            project.supportKind = kind
            try await project.create(on: db)
            try await ProjectEvent(projectID: try project.requireID(), fromStatus: nil, toStatus: .draft,
                                   onDate: today.description, actor: user.username, decisionNo: nil, note: "Khởi tạo hồ sơ đề án").create(on: db)
            try await project.replacePlannedOutputs(input.plannedOutputs ?? [:], on: db)
            try await AuditTrail.record(actor: user.username, action: "create", recordType: "project", recordID: project.code,
                                        unitID: project.unitID, before: Nothing?.none, after: project.snapshot, on: db)
            if let taxCode = input.beneficiaryTaxCode, let name = input.beneficiaryName {
                try await ProjectBeneficiaries.add(to: project, BeneficiaryInput(taxCode: taxCode, name: name, supportVnd: input.supportVnd,
                                                                                 confirmExisting: input.confirmExisting), by: user, on: db)
            }
            try await ProjectRules.checkCaps(project, support: input.supportVnd, today: today, on: db)
            try await ProjectSearchText.update(projectID: try project.requireID(), on: db)
            return project
        }
    }
}
