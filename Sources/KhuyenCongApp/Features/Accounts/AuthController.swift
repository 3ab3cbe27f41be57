import Fluent
import KhuyenCongCore
import Vapor

/// Sign in, sign out and change one's password, in the browser.
struct AuthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.login, use: loginPage).access(.public)
        routes.post(.login, use: login).access(.public)
        routes.post(.logout, use: logout).access(.signedIn)
        routes.get(.accountPassword, use: passwordPage).access(.signedIn)
        routes.post(.accountPassword, use: changePassword).access(.signedIn)
    }

    struct LoginPage: Encodable {
        let title = "Đăng nhập – Khuyến công"
        let layout: PageLayout
        let csrf: String
        let next: String
        let username: String
        let error: String?
    }

    struct LoginForm: Content { let username: String; let password: String; let next: String? }

    @Sendable func loginPage(req: Request) async throws -> View {
        let next = AuthController.safeNext(try? req.query.get(String.self, at: "next"))
        return try await req.view.render("accounts/login", LoginPage(layout: PageLayout(req), csrf: CSRF.token(for: req),
                                                                     next: next, username: "", error: nil))
    }

    @Sendable func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let next = AuthController.safeNext(form.next)
        do {
            let user = try await SignIn.authenticate(username: form.username, password: form.password, req: req)
            // A new session id on sign-in, so that a session planted before cannot be taken over.
            if let oldID = req.session.id {
                try await req.application.sessions.driver.deleteSession(oldID, for: req).get()
                req.session.id = nil
            }
            req.session.data = SessionData()
            req.session.data["uid"] = try user.requireID().uuidString
            req.session.data["at"] = String(Date().timeIntervalSince1970)
            _ = CSRF.token(for: req)
            req.logger.info("sign-in: \(user.username)")
            return req.redirect(to: next, redirectType: .normal)
        } catch let error as DomainError where error.kind == .unauthenticated {
            req.logger.notice("failed sign-in for \"\(form.username)\": \(error.english)")
            let page = LoginPage(layout: PageLayout(req), csrf: CSRF.token(for: req), next: next,
                                 username: form.username, error: req.say(error))
            let response = try await req.view.render("accounts/login", page).encodeResponse(for: req)
            response.status = .unauthorized
            return response
        }
    }

    @Sendable func logout(req: Request) async throws -> Response {
        req.auth.logout(User.self)
        req.session.destroy()
        return req.redirect(to: Links.root, redirectType: .normal)
    }

    struct PasswordPage: Encodable {
        let title = "Đổi mật khẩu – Khuyến công"
        let layout: PageLayout
        let csrf: String
        let message: String?
        let error: String?
    }

    struct PasswordForm: Content { let current: String; let new: String; let confirm: String }

    @Sendable func passwordPage(req: Request) async throws -> View {
        try await req.view.render("accounts/password", PasswordPage(layout: PageLayout(req), csrf: CSRF.token(for: req), message: nil, error: nil))
    }

    @Sendable func changePassword(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(PasswordForm.self)
        do {
            // The same counted path as signing in, so a borrowed session cannot guess the password at leisure.
            do {
                _ = try await SignIn.authenticate(username: user.username, password: form.current, req: req)
            } catch let error as DomainError where error.english == User.wrongCredentials.english {
                throw DomainError.invalid(vi: "Mật khẩu hiện tại không đúng", en: "the current password is wrong")
            }
            guard form.new == form.confirm else {
                throw DomainError.invalid(vi: "Hai lần nhập mật khẩu mới không khớp", en: "the two new passwords differ")
            }
            try User.checkPasswordRules(form.new)
            let hash = try await SignInGuard.hash(form.new, using: req.application)
            try await req.db.transaction { db in
                user.passwordHash = hash
                try await user.save(on: db)
                try await AuditTrail.record(actor: user.username, action: "change_password", recordType: "user",
                                            recordID: user.username, unitID: user.unitID,
                                            before: Nothing?.none, after: ["password": "changed"], on: db)
            }
            let page = PasswordPage(layout: PageLayout(req), csrf: CSRF.token(for: req),
                                    message: req.t("Đã đổi mật khẩu"), error: nil)
            return try await req.view.render("accounts/password", page).encodeResponse(for: req)
        } catch let error as DomainError {
            let page = PasswordPage(layout: PageLayout(req), csrf: CSRF.token(for: req), message: nil, error: req.say(error))
            let response = try await req.view.render("accounts/password", page).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }

    /// Only a path on this site: never another host ("//evil", "/\\evil", "https://…"). Browsers drop tabs, newlines
    /// and spaces inside a URL and read "\\" as "/", so those are removed first and a leading "/" must be followed by
    /// neither; anything else goes to the start page.
    static func safeNext(_ next: String?) -> String {
        guard let next else { return Links.root }
        let dropped = CharacterSet.controlCharacters.union(.whitespacesAndNewlines).union(.illegalCharacters)
        let cleaned = String(String.UnicodeScalarView(next.unicodeScalars.filter { !dropped.contains($0) }))
        guard cleaned.hasPrefix("/"), !cleaned.hasPrefix("//"), !cleaned.contains("\\") else { return Links.root }
        return cleaned
    }
}
