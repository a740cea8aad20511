from fastapi import APIRouter

from app.db import users
from app.schemas import SignupRequest, SignupResponse

router = APIRouter()


@router.post("/signup", response_model=SignupResponse)
async def signup(body: SignupRequest) -> SignupResponse:
    user = await users.create(email=body.email, name=body.name)
    return SignupResponse(id=user.id)
