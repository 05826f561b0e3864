from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "tangerine.search"
    label = "search"

    def ready(self) -> None:
        from tangerine.core import health
        from tangerine.core.demo import DemoStep, register
        from tangerine.search import demo, exports, receivers, startup

        exports.register()
        receivers.connect()
        # Readiness says whether this process's in-memory copies are loaded (startup.py).
        health.register_detail(
            check="vector_store", key="vector_copy", fn=startup.vector_copy_status
        )
        health.register_detail(check="database", key="keyword_copy", fn=startup.keyword_copy_status)
        register(DemoStep(name="pause index jobs", order=0, run=demo.pause_index_jobs))
        register(DemoStep(name="search index", order=90, run=demo.seed, phase="after"))
