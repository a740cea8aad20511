import os


def load_settings():
    return {
        "db_url": os.environ.get("DATABASE_URL", "sqlite:///local.db"),
        "workers": int(os.environ.get("WORKERS", "4")),
    }
