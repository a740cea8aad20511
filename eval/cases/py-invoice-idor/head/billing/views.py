from django.http import Http404, JsonResponse
from django.contrib.auth.decorators import login_required

from billing.models import Invoice
from billing.serializers import invoice_to_dict


@login_required
def invoice_list(request):
    invoices = Invoice.objects.filter(organization=request.user.organization).order_by("-issued_at")[:100]
    return JsonResponse({"invoices": [invoice_to_dict(i) for i in invoices]})


@login_required
def invoice_detail(request, invoice_id: int):
    try:
        invoice = Invoice.objects.select_related("organization").get(pk=invoice_id)
    except Invoice.DoesNotExist:
        raise Http404("invoice not found")
    return JsonResponse(invoice_to_dict(invoice, include_lines=True))
