/// The running sums behind one project's realised figure in one period (money, or one output indicator).
/// Actual and estimate rows are kept apart so that rows can be added and removed one at a time while the
/// supersession rule of the report definitions still holds: any actual row in the period replaces the
/// project's estimates in it. A report then adds up `realised` per project, never the raw rows.
public struct PeriodSums: Equatable, Sendable {
    public var actual: Int64
    public var actualRows: Int64
    public var estimate: Int64

    public init(actual: Int64 = 0, actualRows: Int64 = 0, estimate: Int64 = 0) {
        self.actual = actual
        self.actualRows = actualRows
        self.estimate = estimate
    }

    /// What the project counts for in the period.
    public var realised: Int64 { actualRows > 0 ? actual : estimate }

    public var isEmpty: Bool { actual == 0 && actualRows == 0 && estimate == 0 }

    /// Adds one row (or takes it away again with `removing`). Overflow is refused.
    public mutating func add(_ value: Int64, basis: Basis, removing: Bool = false) throws {
        let signed = removing ? -value : value
        switch basis {
        case .actual:
            actual = try ReportMath.checkedAdd(actual, signed)
            actualRows += removing ? -1 : 1
        case .estimate:
            estimate = try ReportMath.checkedAdd(estimate, signed)
        }
    }

    public static func + (a: PeriodSums, b: PeriodSums) throws -> PeriodSums {
        PeriodSums(actual: try ReportMath.checkedAdd(a.actual, b.actual), actualRows: a.actualRows + b.actualRows,
                   estimate: try ReportMath.checkedAdd(a.estimate, b.estimate))
    }

    public static func - (a: PeriodSums, b: PeriodSums) throws -> PeriodSums {
        PeriodSums(actual: try ReportMath.checkedAdd(a.actual, -b.actual), actualRows: a.actualRows - b.actualRows,
                   estimate: try ReportMath.checkedAdd(a.estimate, -b.estimate))
    }
}

extension Period {
    /// The periods of plan year `planYear` that contain `date`; none when the row is dated in another year
    /// (a payment after the plan year never counts toward it).
    public static func containing(_ date: CalendarDate, planYear: Int) -> [Period] {
        guard date.year == planYear else { return [] }
        return allCases.filter { $0.months.contains(date.month) }
    }
}

extension Period {
    /// The periods a unit files a report for, in the order they fall due (Decree 45/2012 Art. 16: the first and third
    /// quarters, the half year standing for the second quarter and the year for the fourth).
    public static let filedReports: [Period] = [.q1, .h1, .q3, .fullYear]
}
