package api

import (
	"bytes"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"net/http"
)

func (s *Server) uploadAvatar(w http.ResponseWriter, r *http.Request) {
	user := s.currentUser(r)
	if user == nil {
		http.Error(w, "sign in required", http.StatusUnauthorized)
		return
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "cannot read upload", http.StatusBadRequest)
		return
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		http.Error(w, "not a PNG or JPEG image", http.StatusUnsupportedMediaType)
		return
	}
	thumb := resize(img, 256, 256)
	if err := s.Avatars.Put(r.Context(), user.ID, thumb); err != nil {
		http.Error(w, "cannot store avatar", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
