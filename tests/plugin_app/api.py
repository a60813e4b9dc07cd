from ninja import Router

router = Router(tags=["plugin_app"])


@router.get("/plugin/ping", auth=None)
def ping(request):
    return {"plugin": "pong"}
