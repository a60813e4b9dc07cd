from wsis.core.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    ctx.shared["plugin_app_seen_organisations"] = len(ctx.shared.get("organisations", []))
    ctx.log(f"Plug-in app: seeded after {ctx.shared['plugin_app_seen_organisations']} demo organisations.")
