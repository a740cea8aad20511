package api

import (
	"encoding/json"
	"net/http"

	"example.com/longboard/internal/users"
)

type ProfileHandler struct {
	Users *users.Store
}

func (h *ProfileHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	user, err := h.Users.FindByID(r.Context(), r.PathValue("id"))
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"id": user.ID, "name": user.DisplayName, "avatar": user.AvatarURL})
}
