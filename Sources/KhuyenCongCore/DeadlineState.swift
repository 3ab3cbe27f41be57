/// Where a monitored step stands against its deadline, as the monitoring lists and the API say it: not done by the
/// as-of date although the deadline has passed (`missing`), or done after the deadline (`late`).
public enum DeadlineState: String, CaseIterable, Codable, Sendable {
    case missing, late
}

/// Which settlement deadline a finally accepted project missed: the days after the final acceptance
/// (`settlement_file`) or the close of the year's accounts (`settlement_close`).
public enum SettlementDeadline: String, CaseIterable, Codable, Sendable {
    case file = "settlement_file", close = "settlement_close"
}
