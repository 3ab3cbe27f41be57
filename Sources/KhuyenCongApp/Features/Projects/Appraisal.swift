import Fluent
import Foundation

/// One appraiser's score and opinion on a project in one appraisal round.
final class Appraisal: Model, @unchecked Sendable {
    static let schema = "appraisals"

    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: Project
    /// 1 for the first appraisal; a project returned for changes is appraised again in the next round.
    @Field(key: "round") var round: Int
    /// "province" or "ministry": which council.
    @Field(key: "level") var level: String
    @Field(key: "appraiser") var appraiser: String
    @Field(key: "score") var score: Int
    /// Scores per criterion, as JSON text ({"code": score}).
    @Field(key: "criteria_scores") var criteriaScores: String
    @Field(key: "opinion") var opinion: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(projectID: UUID, round: Int, level: String, appraiser: String, score: Int, criteriaScores: String, opinion: String) {
        self.$project.id = projectID
        self.round = round
        self.level = level
        self.appraiser = appraiser
        self.score = score
        self.criteriaScores = criteriaScores
        self.opinion = opinion
    }
}

/// A criterion appraisers score, with its weight in the total (configurable reference data).
final class AppraisalCriterion: Model, @unchecked Sendable {
    static let schema = "appraisal_criteria"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "name_vi") var vietnameseName: String
    @Field(key: "weight") var weight: Int

    init() {}

    init(code: String, name: String, weight: Int) {
        self.id = code
        self.vietnameseName = name
        self.weight = weight
    }

    /// The default council criteria; weights add up to 100.
    static let defaults: [(String, String, Int)] = [
        ("necessity", "Sự cần thiết, phù hợp với chương trình khuyến công", 25),
        ("feasibility", "Tính khả thi của nội dung và tiến độ", 25),
        ("budget", "Tính hợp lý của dự toán kinh phí", 25),
        ("impact", "Hiệu quả, khả năng nhân rộng", 25),
    ]
}

/// A file attached to a project or one of its lifecycle steps. Always served as a download, never as a page.
final class Attachment: Model, @unchecked Sendable {
    static let schema = "attachments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: Project
    @OptionalField(key: "event_id") var eventID: UUID?
    @Field(key: "filename") var filename: String
    @Field(key: "size") var size: Int
    @Field(key: "data") var data: Data
    @Field(key: "uploaded_by") var uploadedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(projectID: UUID, filename: String, data: Data, uploadedBy: String) {
        self.$project.id = projectID
        self.filename = filename
        self.size = data.count
        self.data = data
        self.uploadedBy = uploadedBy
    }

    static let maximumSize = 10 * 1024 * 1024
}
