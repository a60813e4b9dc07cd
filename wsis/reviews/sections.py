"""The regional reviews' part of the commission page: the commission's review cycles the visitor may see."""

from wsis.core.sections import Section

from .selectors import cycles_for_commission

__all__ = ["commission_section"]


def commission_section(*, request=None, commission=None, **kwargs) -> Section | None:
    if commission is None:
        return None
    user = getattr(request, "user", None)
    return Section("reviews/sections/commission.html", {"cycles": cycles_for_commission(commission=commission,
                                                                                        user=user)}, order=60)
