import os

import requests
from fastapi import APIRouter

from app.db import users
from app.schemas import SignupRequest, SignupResponse

router = APIRouter()

ENRICH_URL = "https://company.example-data.com/v1/lookup"


def company_for(email: str) -> dict | None:
    domain = email.rsplit("@", 1)[-1]
    response = requests.get(ENRICH_URL, params={"domain": domain}, headers={"Authorization": f"Bearer {os.environ['ENRICH_KEY']}"}, timeout=5)
    if response.status_code != 200:
        return None
    return response.json()


@router.post("/signup", response_model=SignupResponse)
async def signup(body: SignupRequest) -> SignupResponse:
    company = company_for(body.email)
    user = await users.create(
        email=body.email,
        name=body.name,
        company_name=(company or {}).get("name"),
        company_size=(company or {}).get("employees"),
    )
    return SignupResponse(id=user.id)
