"""Core's costly public pages for ``manage.py warm_cache``: the home page (its sections come from the apps)."""



def paths(*, limit: int) -> list[tuple[str, tuple]]:
    return [("core:home", ())]
