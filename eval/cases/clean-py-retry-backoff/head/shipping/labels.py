import logging
import random
import time

import requests

SHIPPING_URL = "https://api.shipping.example.com/v1/labels"
MAX_ATTEMPTS = 4
TRANSIENT_STATUSES = {502, 503, 504}

logger = logging.getLogger(__name__)


def create_label(session: requests.Session, shipment: dict, sleep=time.sleep) -> dict:
    # The same key on every attempt: the API creates at most one label per key, so a retry never buys a second label.
    headers = {"Idempotency-Key": f"label-{shipment['reference']}"}
    for attempt in range(1, MAX_ATTEMPTS + 1):
        response = session.post(SHIPPING_URL, json=shipment, headers=headers, timeout=15)
        if response.status_code not in TRANSIENT_STATUSES or attempt == MAX_ATTEMPTS:
            response.raise_for_status()
            return response.json()
        delay = min(8.0, 0.5 * 2 ** (attempt - 1)) * random.uniform(0.8, 1.2)
        logger.warning("shipping API answered %s; retrying in %.1fs (attempt %d of %d)", response.status_code, delay, attempt, MAX_ATTEMPTS)
        sleep(delay)
    raise AssertionError("unreachable")
