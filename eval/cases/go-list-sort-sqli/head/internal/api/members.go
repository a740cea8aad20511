package api

import (
	"encoding/json"
	"net/http"

	"example.com/longboard/internal/members"
)

func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sortBy := q.Get("sort")
	if sortBy == "" {
		sortBy = "name"
	}
	list, err := members.List(r.Context(), s.DB, s.orgID(r), sortBy, q.Get("order") == "desc")
	if err != nil {
		http.Error(w, "cannot list members", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(list)
}
