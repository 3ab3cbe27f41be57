import KhuyenCongCore
import Vapor

/// `/plans/{unitCode}/{year}/registration`: the national registration report (Circular 36/2013 Art. 10) as a
/// printable page and as an XLSX download. Readable by whoever may read the plan; out of scope is 404.
struct RegistrationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.planPart(.registration), use: show).access(.record(.readRecord))
        routes.get(.planPart(.registrationXLSX), use: xlsx).access(.record(.readRecord))
    }

    @Sendable func show(req: Request) async throws -> View {
        let report = try await RegistrationReport.load(try PlansAPIController.key(req, .readRecord), on: req.db)
        return try await req.view.render("plans/registration", try RegistrationPage.build(report, req: req))
    }

    @Sendable func xlsx(req: Request) async throws -> Response {
        let report = try await RegistrationReport.load(try PlansAPIController.key(req, .readRecord), on: req.db)
        let name = "dang-ky-khuyen-cong-quoc-gia-\(report.key.unit.code)-\(report.key.year).xlsx"
        return Response(status: .ok, headers: ["Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                               "Content-Disposition": "attachment; filename=\"\(name)\""],
                        body: .init(data: try XLSXWriter.write([try RegistrationPage.sheet(report)])))
    }
}
