package api

import (
	"encoding/json"
	"net/http"
)

func (s *Server) getProject(w http.ResponseWriter, r *http.Request) {
	user := s.currentUser(r)
	project, err := s.Projects.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if !s.Members.CanRead(r.Context(), user.ID, project.ID) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(project)
}

func (s *Server) deleteProject(w http.ResponseWriter, r *http.Request) {
	user := s.currentUser(r)
	if user == nil {
		http.Error(w, "sign in required", http.StatusUnauthorized)
		return
	}
	project, err := s.Projects.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if err := s.Projects.SoftDelete(r.Context(), project.ID, user.ID); err != nil {
		http.Error(w, "cannot delete project", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
