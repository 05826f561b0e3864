from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "tangerine.search"
    label = "search"

    def ready(self) -> None:
        from tangerine.core.demo import DemoStep, register
        from tangerine.search import demo, exports, receivers

        exports.register()
        receivers.connect()
        register(DemoStep(name="pause index jobs", order=0, run=demo.pause_index_jobs))
        register(DemoStep(name="search index", order=90, run=demo.seed, phase="after"))
