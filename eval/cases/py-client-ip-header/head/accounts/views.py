from django.contrib.auth import authenticate, login
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from accounts.ratelimit import hit

LOGIN_LIMIT = 10
LOGIN_WINDOW_SECONDS = 60


def client_ip(request) -> str:
    return request.headers.get("X-Forwarded-For").split(",")[0].strip()


@require_POST
def login_view(request):
    if not hit(f"login:{client_ip(request)}", limit=LOGIN_LIMIT, window=LOGIN_WINDOW_SECONDS):
        return JsonResponse({"error": "too many attempts"}, status=429)
    user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
    if user is None:
        return JsonResponse({"error": "invalid credentials"}, status=401)
    login(request, user)
    return JsonResponse({"ok": True})
