from wsis.core.sections import Section


def home_section(*, request=None, **kwargs) -> Section:
    return Section(template="plugin_app/home_section.html", context={"message": "Plug-in section"}, order=99)
