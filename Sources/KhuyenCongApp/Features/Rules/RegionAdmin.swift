import Fluent
import KhuyenCongCore
import Vapor

/// An administrator's new dated region membership of a unit (`region_memberships`). History is never overwritten: the
/// row in force on the new row's first day is closed on that day (its valid-until set, nothing else changed), the new
/// row runs until the next row begins, the closed row would have ended, or the unit ceased to exist; when the new
/// row is given an earlier end, the closed row's region resumes from it (a copy with the same basis), so that no day
/// is left without a region. Guarded, re-checked under the lock, audited; the right is the rules' (`RuleAdmin`).
enum RegionAdmin {
    struct Input: Content {
        /// The unit's code, resolved against the units that exist on `validFrom`.
        var unitCode: UnitCode
        /// Or the unit's id ("60@2008-08-01"), as the form sends it: codes are reused across the 2025 merger.
        var unitID: String?
        var region: String
        var validFrom: String
        var validUntil: String?
        var legalBasis: String
    }

    /// The unit and membership as typed, checked without the database (every mistake at once).
    static func membership(_ input: Input, catalog: AdminUnitCatalog = .standard) throws -> (unit: AdminUnit, membership: RegionMembership) {
        var problems: [DomainError] = []
        let region = Region(rawValue: input.region.trimmingCharacters(in: .whitespaces))
        if region == nil {
            problems.append(.invalid(vi: "region: khu vực \"\(input.region.prefix(20))\" không có (north, central, south)",
                                     en: "region: \"\(input.region.prefix(20))\" is not a region (north, central, south)"))
        }
        var from: CalendarDate?, until: CalendarDate?, basis: String?
        do { from = try RuleAdmin.date(input.validFrom, field: "validFrom") } catch let e as DomainError { problems.append(e) }
        do { until = try RuleAdmin.date(input.validUntil, field: "validUntil") } catch let e as DomainError { problems.append(e) }
        do { basis = try RuleAdmin.legalBasis(input.legalBasis) } catch let e as DomainError { problems.append(e) }
        if from == nil && !problems.contains(where: { $0.english.hasPrefix("validFrom") }) {
            problems.append(.invalid(vi: "validFrom: cần ngày bắt đầu áp dụng", en: "validFrom: required"))
        }
        if let from, let until, until <= from {
            problems.append(.invalid(vi: "validUntil: phải sau ngày bắt đầu áp dụng", en: "validUntil: must be after validFrom"))
        }
        var unit: AdminUnit?
        let code = UnitCode(input.unitCode.rawValue.trimmingCharacters(in: .whitespaces))
        let id = input.unitID?.trimmingCharacters(in: .whitespaces) ?? ""
        if !id.isEmpty {
            unit = catalog.unit(id: UnitID(id))
            if unit == nil { problems.append(.invalid(vi: "unitCode: không có đơn vị \"\(id.prefix(20))\"", en: "unitCode: no unit \"\(id.prefix(20))\"")) }
        } else if code.rawValue.isEmpty {
            problems.append(.invalid(vi: "unitCode: cần chọn tỉnh, thành phố", en: "unitCode: required"))
        } else if !catalog.units.contains(where: { $0.code == code }) {
            problems.append(.invalid(vi: "unitCode: không có tỉnh mã \"\(code.rawValue.prefix(10))\"", en: "unitCode: no province \"\(code.rawValue.prefix(10))\""))
        } else if let from {
            unit = try? catalog.resolve(code: code, on: from)
            if unit == nil {
                problems.append(.invalid(vi: "validFrom: tỉnh mã \(code) không tồn tại vào ngày \(VietnameseFormat.date(from))",
                                         en: "validFrom: unit \(code) does not exist on \(from)"))
            }
        }
        if let unit, let from, !unit.isValid(on: from), !problems.contains(where: { $0.english.hasPrefix("validFrom") }) {
            problems.append(.invalid(vi: "validFrom: \(unit.name) chỉ tồn tại \(validity(unit))", en: "validFrom: outside the unit's validity"))
        }
        if let unit, let until, let end = unit.validUntil, until > end {
            problems.append(.invalid(vi: "validUntil: \(unit.name) chỉ tồn tại \(validity(unit))", en: "validUntil: after the unit ceased to exist"))
        }
        guard problems.isEmpty, let unit, let region, let from, let basis else {
            throw DomainError(.invalidInput, vi: problems.map(\.vietnamese).joined(separator: "; "), en: problems.map(\.english).joined(separator: "; "))
        }
        return (unit, RegionMembership(unitID: unit.id, region: region, validFrom: from, validUntil: until, legalBasis: basis))
    }

    static func validity(_ unit: AdminUnit) -> String {
        "từ \(VietnameseFormat.date(unit.validFrom))" + (unit.validUntil.map { " đến hết \(VietnameseFormat.date($0.adding(days: -1)))" } ?? "")
    }

    /// Adds the row through the guarded write (closing the row in force), with its audit row.
    @discardableResult
    static func add(_ input: Input, by user: User, on db: any Database) async throws -> RegionMembership {
        try RuleAdmin.checkRight(user)
        return try await GuardedWrite.run(on: db) { db in
            try await RuleAdmin.recheck(user, on: db)
            let (unit, typed) = try membership(input)
            let rows = try await RegionMembershipRecord.query(on: db).filter(\.$unitID == unit.id).all()
            let live = try rows.map { ($0, try $0.membership()) }.filter { pair in pair.1.validUntil.map { $0 > pair.1.validFrom } ?? true }
                .sorted { $0.1.validFrom < $1.1.validFrom }
            let inForce = live.last { $0.1.isValid(on: typed.validFrom) }
            let next = live.first { $0.1.validFrom > typed.validFrom }
            let end = [typed.validUntil, inForce?.1.validUntil, next?.1.validFrom, unit.validUntil].compactMap { $0 }.min()
            let new = RegionMembership(unitID: unit.id, region: typed.region, validFrom: typed.validFrom, validUntil: end, legalBasis: typed.legalBasis)
            var before: [String: String] = [:]
            if let (record, old) = inForce {
                before = fields(old, unit: unit)
                record.validUntil = typed.validFrom.description
                try await record.save(on: db)
                // Given an earlier end, the closed row's region resumes after the new row.
                let oldEnd = [old.validUntil, next?.1.validFrom, unit.validUntil].compactMap { $0 }.min()
                if let newEnd = new.validUntil, oldEnd.map({ newEnd < $0 }) ?? true {
                    let resumed = RegionMembership(unitID: unit.id, region: old.region, validFrom: newEnd, validUntil: oldEnd, legalBasis: old.legalBasis)
                    try await RegionMembershipRecord(resumed, unitCode: unit.code, recordedBy: user.username).create(on: db)
                }
            }
            let row = RegionMembershipRecord(new, unitCode: unit.code, recordedBy: user.username)
            try await row.create(on: db)
            var after = fields(new, unit: unit)
            if let old = inForce?.1 {
                after["closedRow"] = "\(old.region.rawValue) từ \(old.validFrom) (\(old.legalBasis)): đến trước \(typed.validFrom)"
            }
            try await AuditTrail.record(actor: user.username, action: "add_rule", recordType: "rule_region",
                                        recordID: try row.requireID().uuidString, unitID: nil,
                                        before: before.isEmpty ? nil : before, after: after, on: db)
            return new
        }
    }

    static func fields(_ membership: RegionMembership, unit: AdminUnit) -> [String: String] {
        ["unitCode": unit.code.rawValue, "unitName": unit.name, "region": membership.region.rawValue, "validFrom": membership.validFrom.description,
         "validUntil": membership.validUntil?.description ?? "", "legalBasis": membership.legalBasis]
    }
}
