package secretsemu

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

const jsonContentType = "application/x-amz-json-1.1"

// ServeHTTP serves the Secrets Manager AWS JSON 1.1 protocol: POST with
// X-Amz-Target: secretsmanager.GetSecretValue. Errors are {"__type": code,
// "message": ...} with status 400, as Secrets Manager sends them.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "secretsmanager.")
	if r.Method != http.MethodPost || !ok {
		writeError(w, "UnknownOperationException", "expected POST with X-Amz-Target secretsmanager.<Action>")
		return
	}
	if action != "GetSecretValue" {
		writeError(w, "UnknownOperationException", "devstack serves GetSecretValue only, not "+action)
		return
	}
	var in struct {
		SecretID     string `json:"SecretId"`
		VersionID    string `json:"VersionId"`
		VersionStage string `json:"VersionStage"`
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || json.Unmarshal(body, &in) != nil {
		writeError(w, "SerializationException", "the request body is not a GetSecretValue request")
		return
	}
	if in.SecretID == "" {
		writeError(w, "InvalidParameterException", "SecretId is required")
		return
	}
	sec, ok := s.lookup(in.SecretID)
	if !ok {
		writeError(w, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
		return
	}
	if (in.VersionID != "" && in.VersionID != sec.versionID) || (in.VersionStage != "" && in.VersionStage != StageCurrent) {
		writeError(w, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for the version or staging label.")
		return
	}
	w.Header().Set("Content-Type", jsonContentType)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"ARN":           sec.arn,
		"Name":          sec.name,
		"VersionId":     sec.versionID,
		"SecretString":  sec.value,
		"VersionStages": []string{StageCurrent},
		"CreatedDate":   float64(sec.created.UnixMilli()) / 1000,
	})
}

func writeError(w http.ResponseWriter, code, message string) {
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("X-Amzn-Errortype", code)
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": message})
}
