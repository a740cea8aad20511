import csv
import io
from datetime import timedelta

from django.utils import timezone

from orders.models import Order


def export_recent_orders(organization) -> str:
    since = timezone.now() - timedelta(days=90)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["order", "placed_at", "customer_email", "items", "total"])
    for order in Order.objects.filter(organization=organization, placed_at__gte=since).order_by("placed_at"):
        writer.writerow(
            [
                order.number,
                order.placed_at.isoformat(),
                order.customer.email,
                order.items.count(),
                f"{order.total_cents / 100:.2f}",
            ]
        )
    return out.getvalue()
