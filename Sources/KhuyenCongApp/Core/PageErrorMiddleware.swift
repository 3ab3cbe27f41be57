import KhuyenCongCore
import Vapor

extension DomainError: AbortError {
    public var status: HTTPResponseStatus {
        switch kind {
        case .invalidInput, .overflow: .unprocessableEntity
        case .notFound: .notFound
        case .conflict, .illegalTransition: .conflict
        case .forbidden: .forbidden
        case .unauthenticated: .unauthorized
        case .locked: .locked
        case .gone: .gone
        }
    }

    public var reason: String { description }
}

/// One place that turns any error into a response: JSON problem details under /api, an HTML page elsewhere.
/// Unexpected errors are logged and shown without internals.
struct PageErrorMiddleware: AsyncMiddleware {
    struct Problem: Content {
        let type: String
        let title: String
        let status: Int
        let detail: String
        /// For a stale edit: the values as they are now.
        var current: Project.Snapshot? = nil
        /// The status and the message in each language (`detail` holds both, "tiếng Việt / English").
        var titleVi: String? = nil
        var detailVi: String? = nil
        var detailEn: String? = nil
        /// The request's id (`X-Request-Id`), to quote when asking about this refusal.
        var requestId: String? = nil
    }

    struct ErrorPage: Encodable {
        let layout: PageLayout
        let status: Int
        let title: String
        let detail: String
        /// "Mã yêu cầu": the request's id, for an officer to quote and an operator to find in the logs.
        let requestId: String
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let (status, message) = describeInBothLanguages(error)
            let detail = message.both
            if status.code >= 500 {
                request.logger.report(error: error)
            } else {
                // At notice, seen in production too (its default level), so that the id an officer quotes is in the log;
                // a page's sign-in redirect is routine.
                request.logger.log(level: status == .unauthorized ? .info : .notice,
                                   "refused \(request.method) \(request.url.path): \(status.code) \(detail)")
            }
            if request.answersMachines {
                let problem = Problem(type: "about:blank", title: status.reasonPhrase, status: Int(status.code), detail: detail,
                                      current: (error as? ProjectEditing.Stale)?.current, titleVi: Self.title(status),
                                      detailVi: message.vi, detailEn: message.en, requestId: request.requestID)
                return Response(status: status, headers: ["Content-Type": "application/problem+json; charset=utf-8"],
                                body: .init(data: try JSONEncoder().encode(problem)))
            }
            if status == .unauthorized {
                // A page that needs a session: off to the sign-in page, and back afterwards.
                return request.redirect(to: Links.login(next: request.method == .GET ? request.url.string : Links.root), redirectType: .normal)
            }
            // A page speaks one language: the status and the message in the reader's (Vietnamese unless chosen).
            let language = request.language
            let page = ErrorPage(layout: PageLayout(request), status: Int(status.code),
                                 title: MessageCatalog.text(Self.title(status), in: language),
                                 detail: language == .vi ? message.vi : message.en, requestId: request.requestID)
            let response = try await request.view.render("error", page).encodeResponse(for: request)
            response.status = status
            return response
        }
    }

    static let internalError = "Đã có lỗi trong hệ thống; xin thử lại sau / Something went wrong; please try again later"

    /// A refusal's message in Vietnamese and in English.
    struct Message: Equatable {
        let vi: String
        let en: String
        var both: String { vi == en ? vi : "\(vi) / \(en)" }

        /// "tiếng Việt / English", the form of the project's own refusals, split in two; a text in one language only
        /// (the framework's, in English) gives way to `fallback`.
        init(splitting text: String, fallback: Message) {
            if let range = text.range(of: " / ") {
                self.init(vi: String(text[..<range.lowerBound]), en: String(text[range.upperBound...]))
            } else if text.unicodeScalars.contains(where: { $0.value > 0x7F }) {
                self.init(vi: text, en: text)
            } else {
                self.init(vi: fallback.vi, en: text == fallback.en || text.isEmpty ? fallback.en : text)
            }
        }

        init(vi: String, en: String) { self.vi = vi; self.en = en }
    }

    /// The Vietnamese name of a status (the page's heading and the problem's `titleVi`; English from the catalog).
    static func title(_ status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "Yêu cầu không hợp lệ"
        case 401: "Chưa đăng nhập"
        case 403: "Không có quyền"
        case 404: "Không tìm thấy"
        case 405: "Phương thức không được phép"
        case 409: "Xung đột dữ liệu"
        case 410: "Không còn"
        case 413: "Tệp hoặc biểu mẫu quá lớn"
        case 415: "Kiểu dữ liệu không được hỗ trợ"
        case 422: "Dữ liệu không hợp lệ"
        case 423: "Đã khóa"
        case 429: "Quá nhiều yêu cầu; xin thử lại sau"
        case 503: "Hệ thống tạm thời không phục vụ được; xin thử lại sau"
        case 500...: "Lỗi hệ thống"
        default: "Lỗi"
        }
    }

    /// What a status says when the error names nothing more (the framework's own 404 for an unknown path, 405 …).
    static func plainMessage(_ status: HTTPResponseStatus) -> Message {
        let vi = switch status.code {
        case 400: "Yêu cầu không đọc được"
        case 404: "Không có trang này"
        case 405: "Trang này không nhận yêu cầu kiểu này"
        default: title(status)
        }
        return Message(vi: vi, en: MessageCatalog.text(vi, in: .en))
    }

    /// `describe` with the message in each language.
    func describeInBothLanguages(_ error: any Error) -> (HTTPResponseStatus, Message) {
        if let domain = error as? DomainError, domain.status.code < 500 {
            return (domain.status, Message(vi: domain.vietnamese, en: domain.english))
        }
        if let stale = error as? ProjectEditing.Stale {
            return (.conflict, Message(vi: stale.error.vietnamese, en: stale.error.english))
        }
        let (status, text) = describe(error)
        // The framework's bare status ("Not Found" for an unknown path): what the status says, in both languages.
        if text == status.reasonPhrase { return (status, Self.plainMessage(status)) }
        return (status, Message(splitting: text, fallback: Self.plainMessage(status)))
    }

    /// The status and the text a client may see. Texts of drivers and decoders never reach it: a decoding error is
    /// shown by the field it names only, one raised by the database is the server's fault, and any 5xx is generic.
    func describe(_ error: any Error) -> (HTTPResponseStatus, String) {
        switch error {
        case let stale as ProjectEditing.Stale:
            return (.conflict, stale.error.description)
        case let decoding as DecodingError:
            return Self.describe(decoding)
        case let abort as any AbortError where abort.status.code < 500:
            return (abort.status, abort.reason)
        case let abort as any AbortError:
            return (abort.status, Self.internalError)
        default:
            return (.internalServerError, Self.internalError)
        }
    }

    private static func describe(_ error: DecodingError) -> (HTTPResponseStatus, String) {
        let text = String(describing: error)
        // SQLiteKit's and SQLKit's row decoders raise plain DecodingErrors too; theirs name the database.
        if text.contains("SQLite") || text.contains("Postgres") || text.contains("(as \"") {
            return (.internalServerError, internalError)
        }
        let context: DecodingError.Context? = switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context): context
        @unknown default: nil
        }
        var path = (context?.codingPath ?? []).map(\.stringValue)
        if case .keyNotFound(let key, _) = error { path.append(key.stringValue) }
        guard !path.isEmpty else {
            return (.badRequest, "Dữ liệu gửi lên không đọc được / the request's data cannot be read")
        }
        let field = path.joined(separator: ".")
        return (.badRequest, "Thiếu hoặc sai giá trị “\(field)” / “\(field)” is missing or has a wrong value")
    }
}
