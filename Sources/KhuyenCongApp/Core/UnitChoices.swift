import KhuyenCongCore

/// The provinces and cities a form offers, by name (the code is the value sent): today's units, sorted by name.
enum UnitChoices {
    struct Choice: Encodable, Sendable { let value: UnitCode; let label: String; let selected: Bool }

    /// Today's units in `region` (all when nil); `selected` is the code chosen (or typed before a refusal). A typed code
    /// that is no unit today stays in the list, so that the refusal names what was sent.
    static func today(selected: UnitCode?, region: Region? = nil, only: UnitCode? = nil) -> [Choice] {
        let units = AdminUnitCatalog.standard.units(in: region, on: .today())
            .filter { only == nil || $0.code == only }
            .sorted { $0.name < $1.name }
        var choices = units.map { Choice(value: $0.code, label: $0.name, selected: $0.code == selected) }
        if let selected, !selected.rawValue.isEmpty, !units.contains(where: { $0.code == selected }), only == nil {
            choices.append(Choice(value: selected, label: "Mã \(selected)", selected: true))
        }
        return choices
    }

    /// The units of a plan year as they were on its 1 January (today's when `restated`), by name: a report filter.
    static func planYear(_ year: Int, restated: Bool, selected: UnitCode?) -> [Choice] {
        let units = restated ? AdminUnitCatalog.standard.units(in: nil, on: .today()) : AdminUnitCatalog.standard.units(in: nil, planYear: year)
        return units.sorted { $0.name < $1.name }.map { Choice(value: $0.code, label: $0.name, selected: $0.code == selected) }
    }
}
