package usersddb

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/users"
)

// Key prefixes and item types of the users table.
const (
	userSK        = "PROFILE"
	emailSK       = "EMAIL"
	typeUser      = "User"
	typeEmailLock = "EmailLock"
)

func userPK(id string) string     { return "USER#" + id }
func emailPK(email string) string { return "EMAIL#" + email }

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: pk},
		"sk": &types.AttributeValueMemberS{Value: sk},
	}
}

type userRecord struct {
	PK           string            `dynamodbav:"pk"`
	SK           string            `dynamodbav:"sk"`
	Type         string            `dynamodbav:"type"`
	ID           string            `dynamodbav:"id"`
	Email        string            `dynamodbav:"email"`
	Name         string            `dynamodbav:"name"`
	PasswordHash string            `dynamodbav:"passwordHash"`
	Preferences  preferencesRecord `dynamodbav:"preferences"`
	CreatedAt    string            `dynamodbav:"createdAt"`
	UpdatedAt    string            `dynamodbav:"updatedAt"`
	Version      int64             `dynamodbav:"version"`
}

type preferencesRecord struct {
	Currency      string              `dynamodbav:"currency,omitempty"`
	Categories    []string            `dynamodbav:"categories,omitempty"`
	Notifications notificationsRecord `dynamodbav:"notifications"`
	Phone         string              `dynamodbav:"phone,omitempty"`
}

type notificationsRecord struct {
	Email bool `dynamodbav:"email"`
	SMS   bool `dynamodbav:"sms"`
	Push  bool `dynamodbav:"push"`
}

type emailLockRecord struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	Type   string `dynamodbav:"type"`
	Email  string `dynamodbav:"email"`
	UserID string `dynamodbav:"userId"`
}

func toRecord(u users.User, version int64) userRecord {
	p := u.Preferences()
	n := p.Notifications()
	return userRecord{
		PK:           userPK(u.ID()),
		SK:           userSK,
		Type:         typeUser,
		ID:           u.ID(),
		Email:        u.Email(),
		Name:         u.Name(),
		PasswordHash: u.PasswordHash(),
		Preferences: preferencesRecord{
			Currency:      p.Currency(),
			Categories:    p.Categories(),
			Notifications: notificationsRecord{Email: n.Email, SMS: n.SMS, Push: n.Push},
			Phone:         p.Phone(),
		},
		CreatedAt: u.CreatedAt().UTC().Format(time.RFC3339Nano),
		UpdatedAt: u.UpdatedAt().UTC().Format(time.RFC3339Nano),
		Version:   version,
	}
}

func toDomain(r userRecord) (users.User, error) {
	created, err := time.Parse(time.RFC3339Nano, r.CreatedAt)
	if err != nil {
		return users.User{}, fmt.Errorf("user %s: createdAt: %w", r.ID, err)
	}
	updated, err := time.Parse(time.RFC3339Nano, r.UpdatedAt)
	if err != nil {
		return users.User{}, fmt.Errorf("user %s: updatedAt: %w", r.ID, err)
	}
	n := r.Preferences.Notifications
	prefs := users.RehydratePreferences(r.Preferences.Currency, r.Preferences.Categories,
		users.Notifications{Email: n.Email, SMS: n.SMS, Push: n.Push}, r.Preferences.Phone)
	return users.RehydrateUser(r.ID, r.Email, r.Name, r.PasswordHash, prefs, created, updated), nil
}
