package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"example.com/longboard/internal/users"
)

type ProfileHandler struct {
	Users *users.Store
}

func (h *ProfileHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	user, err := h.Users.FindByID(r.Context(), r.PathValue("id"))
	if err != nil && !errors.Is(err, users.ErrNotFound) {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"id": user.ID, "name": user.DisplayName, "avatar": user.AvatarURL})
}
