import Fluent
import SQLKit

/// In-app notifications with their mail outbox (issue 13), and a nullable e-mail address per user.
/// - `mail_to`: the address the mail goes to (copied when the notification is made; nil = in-app only);
///   `mailed_at` is set once the SMTP server accepted it; `mail_attempts`/`mail_error` record failures (retried);
///   `mail_claimed_epoch` lets one sender at a time take a row (across processes).
/// - `dedup_key`: unique; a deadline reminder's key (user + deadline + kind + date), so running the reminders twice
///   makes one notification and one mail.
struct M0044_CreateNotifications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("notifications")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("link", .string)
            .field("record_type", .string)
            .field("record_id", .string)
            .field("actor", .string)
            .field("dedup_key", .string)
            .field("created_at", .datetime)
            .field("created_epoch", .int64, .required)
            .field("read_at", .datetime)
            .field("mail_to", .string)
            .field("mailed_at", .datetime)
            .field("mail_attempts", .int, .required)
            .field("mail_error", .string)
            .field("mail_claimed_epoch", .int64)
            .unique(on: "dedup_key")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "notifications_user_read").on("notifications").column("user_id").column("read_at").run()
        try await sql.create(index: "notifications_outbox").on("notifications").column("mailed_at").column("mail_to").run()
        try await database.schema("users").field("email", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("email").update()
        try await database.schema("notifications").delete()
    }
}
