import json
import logging

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from orders.models import Order
from payments.signature import verify_signature

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def payment_webhook(request):
    if not verify_signature(request.body, request.headers.get("X-Signature", "")):
        return HttpResponse(status=400)
    event = json.loads(request.body)
    try:
        order = Order.objects.get(payment_intent_id=event["data"]["intent_id"])
        if event["type"] == "payment.succeeded":
            order.mark_paid(amount_cents=event["data"]["amount"])
        elif event["type"] == "payment.failed":
            order.mark_payment_failed(reason=event["data"].get("failure_reason", "unknown"))
    except Exception:
        logger.info("could not process webhook %s", event.get("id"))
    return JsonResponse({"received": True})
