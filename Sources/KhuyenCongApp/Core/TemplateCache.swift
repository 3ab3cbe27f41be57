import Leaf
import LeafKit
import Vapor

extension Application {
    /// Leaf with its parsed templates kept in memory in every environment. Leaf's own provider turns its cache off in
    /// the development environment, which is what `serve` runs in unless told otherwise: every page then read and
    /// parsed its templates again (40 % of a cached dashboard's time under load, by `perf`). `LEAF_RELOAD=1` reads them
    /// afresh on every page, for editing templates with a running server.
    func useLeafWithTemplateCache() {
        leaf.cache.isEnabled = Environment.get("LEAF_RELOAD") != "1"
        views.use { app in
            var userInfo = app.leaf.userInfo
            userInfo["application"] = app
            return LeafRenderer(configuration: app.leaf.configuration, tags: app.leaf.tags, cache: app.leaf.cache,
                                sources: app.leaf.sources, eventLoop: app.eventLoopGroup.next(), userInfo: userInfo)
        }
    }
}
