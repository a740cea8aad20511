from app.settings import load_settings
from app.db import connect


def start():
    settings = load_settings()
    return connect(settings["db_url"])
