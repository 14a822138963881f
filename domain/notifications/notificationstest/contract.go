package notificationstest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/notifications"
)

// Epoch is the time the contract's messages are created at.
var Epoch = time.Date(2026, 3, 1, 12, 0, 0, 500_000_000, time.UTC)

// CmpOptions compares messages field by field, times with Equal.
func CmpOptions() cmp.Options {
	return cmp.Options{cmp.AllowUnexported(notifications.Message{}), cmpopts.EquateEmpty()}
}

// RunRepositoryContract runs the behaviour every notifications.Repository
// must have against repositories from newRepo (a fresh one per subtest),
// directly and through a notifications.Service, including the races of its
// conditional writes.
func RunRepositoryContract(t *testing.T, newRepo func(t *testing.T) notifications.Repository) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, repo notifications.Repository)
	}{
		{"RecordThenEventMessages", testRecordThenEventMessages},
		{"RecordDuplicate", testRecordDuplicate},
		{"RecordRace", testRecordRace},
		{"EventMessagesUnknown", testEventMessagesUnknown},
		{"UpdateApplies", testUpdateApplies},
		{"UpdateUnknown", testUpdateUnknown},
		{"UpdateFnError", testUpdateFnError},
		{"UpdateRace", testUpdateRace},
		{"ListNewestFirstInPages", testListNewestFirstInPages},
		{"ListExactPages", testListExactPages},
		{"ListEmpty", testListEmpty},
		{"ListInvalidCursor", testListInvalidCursor},
		{"NotifyDuplicateSendsOnce", testNotifyDuplicateSendsOnce},
		{"NotifyConcurrentSendsOnce", testNotifyConcurrentSendsOnce},
		{"NotifyChannelFailureResumes", testNotifyChannelFailureResumes},
		{"NotifyCrashAfterSend", testNotifyCrashAfterSend},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newRepo(t))
		})
	}
}

// newID returns a unique message or user id.
func newID() string { return uuid.NewString() }

// message returns a PENDING message of eventID for userID on ch, created
// at at.
func message(t *testing.T, userID, eventID string, ch notifications.Channel, at time.Time) notifications.Message {
	t.Helper()
	m, err := notifications.NewMessage(notifications.MessageParams{
		ID: newID(), UserID: userID, EventID: eventID, EventType: notifications.TypeOrderShipped,
		Channel: ch, Subject: "Your order o-1 has shipped", Body: "Your order o-1 is on its way.",
	}, at, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func record(t *testing.T, repo notifications.Repository, msgs ...notifications.Message) {
	t.Helper()
	if err := repo.Record(context.Background(), msgs[0].EventID(), msgs); err != nil {
		t.Fatalf("record %s: %v", msgs[0].EventID(), err)
	}
}

func testRecordThenEventMessages(t *testing.T, repo notifications.Repository) {
	user, event := newID(), newID()
	msgs := []notifications.Message{
		message(t, user, event, notifications.ChannelEmail, Epoch),
		message(t, user, event, notifications.ChannelPush, Epoch),
	}
	record(t, repo, msgs...)
	got, err := repo.EventMessages(context.Background(), event)
	if err != nil {
		t.Fatalf("event messages: %v", err)
	}
	if diff := cmp.Diff(msgs, got, CmpOptions()); diff != "" {
		t.Errorf("event messages (-want +got):\n%s", diff)
	}
}

func testRecordDuplicate(t *testing.T, repo notifications.Repository) {
	ctx := context.Background()
	user, event := newID(), newID()
	first := message(t, user, event, notifications.ChannelEmail, Epoch)
	record(t, repo, first)
	again := message(t, user, event, notifications.ChannelEmail, Epoch.Add(time.Second))
	if err := repo.Record(ctx, event, []notifications.Message{again}); !errors.Is(err, notifications.ErrDuplicateEvent) {
		t.Fatalf("second record: err = %v, want ErrDuplicateEvent", err)
	}
	page, err := repo.List(ctx, notifications.Query{UserID: user, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]notifications.Message{first}, page.Items, CmpOptions()); diff != "" {
		t.Errorf("list after a duplicate record (-want +got):\n%s", diff)
	}
}

// testRecordRace records one event from many goroutines, each with its own
// messages: exactly one succeeds, the others see the duplicate or a
// conflict, and only the winner's messages are stored.
func testRecordRace(t *testing.T, repo notifications.Repository) {
	const n = 12
	ctx := context.Background()
	user, event := newID(), newID()
	sets := make([][]notifications.Message, n)
	for i := range sets {
		sets[i] = []notifications.Message{
			message(t, user, event, notifications.ChannelEmail, Epoch.Add(time.Duration(i)*time.Millisecond)),
			message(t, user, event, notifications.ChannelPush, Epoch.Add(time.Duration(i)*time.Millisecond)),
		}
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = repo.Record(ctx, event, sets[i])
		})
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner < 0:
			winner = i
		case err == nil:
			t.Errorf("records %d and %d both succeeded", winner, i)
		case !errors.Is(err, notifications.ErrDuplicateEvent) && !errors.Is(err, notifications.ErrConflict):
			t.Errorf("record %d: err = %v, want ErrDuplicateEvent or ErrConflict", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no record succeeded")
	}
	page, err := repo.List(ctx, notifications.Query{UserID: user, Limit: notifications.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	want := []notifications.Message{sets[winner][0], sets[winner][1]}
	sortByKeyDesc(want)
	if diff := cmp.Diff(want, page.Items, CmpOptions()); diff != "" {
		t.Errorf("stored messages (-want +got):\n%s", diff)
	}
}

func testEventMessagesUnknown(t *testing.T, repo notifications.Repository) {
	if _, err := repo.EventMessages(context.Background(), newID()); !errors.Is(err, notifications.ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}

func testUpdateApplies(t *testing.T, repo notifications.Repository) {
	ctx := context.Background()
	m := message(t, newID(), newID(), notifications.ChannelEmail, Epoch)
	record(t, repo, m)
	sentAt := Epoch.Add(3 * time.Second)
	if err := repo.Update(ctx, m.Key(), func(cur *notifications.Message) error { return cur.MarkSent(sentAt) }); err != nil {
		t.Fatalf("update: %v", err)
	}
	want := m
	if err := want.MarkSent(sentAt); err != nil {
		t.Fatal(err)
	}
	got, err := repo.EventMessages(ctx, m.EventID())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]notifications.Message{want}, got, CmpOptions()); diff != "" {
		t.Errorf("after update (-want +got):\n%s", diff)
	}
	if got[0].Status() != notifications.StatusSent || got[0].Version() != 2 {
		t.Errorf("status %s version %d, want SENT at version 2", got[0].Status(), got[0].Version())
	}
}

func testUpdateUnknown(t *testing.T, repo notifications.Repository) {
	key := notifications.Key{UserID: newID(), CreatedAt: Epoch, ID: newID()}
	err := repo.Update(context.Background(), key, func(*notifications.Message) error { return nil })
	if !errors.Is(err, notifications.ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}

func testUpdateFnError(t *testing.T, repo notifications.Repository) {
	ctx := context.Background()
	m := message(t, newID(), newID(), notifications.ChannelEmail, Epoch)
	record(t, repo, m)
	boom := errors.New("boom")
	err := repo.Update(ctx, m.Key(), func(cur *notifications.Message) error {
		_ = cur.MarkSent(Epoch)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want fn's error", err)
	}
	got, err := repo.EventMessages(ctx, m.EventID())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]notifications.Message{m}, got, CmpOptions()); diff != "" {
		t.Errorf("a failed fn changed the message (-want +got):\n%s", diff)
	}
}

// testUpdateRace claims one expired message from many goroutines: exactly
// one claim wins; the others see it in flight or lose the version race.
func testUpdateRace(t *testing.T, repo notifications.Repository) {
	const n = 12
	ctx := context.Background()
	m := message(t, newID(), newID(), notifications.ChannelPush, Epoch)
	record(t, repo, m)
	later := Epoch.Add(time.Hour) // the recording delivery's lease is over
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = repo.Update(ctx, m.Key(), func(cur *notifications.Message) error { return cur.Claim(later, time.Minute) })
		})
	}
	close(start)
	wg.Wait()
	wins := 0
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, notifications.ErrInFlight) && !errors.Is(err, notifications.ErrConflict):
			t.Errorf("claim %d: err = %v, want ErrInFlight or ErrConflict", i, err)
		}
	}
	if wins != 1 {
		t.Errorf("%d claims won, want exactly 1", wins)
	}
	got, err := repo.EventMessages(ctx, m.EventID())
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Attempts() != 2 || got[0].Version() != 2 || !got[0].LeaseUntil().Equal(later.Add(time.Minute)) {
		t.Errorf("attempts %d version %d lease %s, want one claim recorded", got[0].Attempts(), got[0].Version(), got[0].LeaseUntil())
	}
}

// seed records one single-message event per time for user, and returns
// them newest first.
func seed(t *testing.T, repo notifications.Repository, user string, times ...time.Time) []notifications.Message {
	t.Helper()
	var msgs []notifications.Message
	for _, at := range times {
		m := message(t, user, newID(), notifications.ChannelEmail, at)
		record(t, repo, m)
		msgs = append(msgs, m)
	}
	sortByKeyDesc(msgs)
	return msgs
}

func testListNewestFirstInPages(t *testing.T, repo notifications.Repository) {
	ctx := context.Background()
	user := newID()
	// Times with fewer fraction digits must still sort by time: 12:00:00.5
	// is after 12:00:00.
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	want := seed(t, repo, user, base, base.Add(500*time.Millisecond), base.Add(time.Second),
		base.Add(time.Second+123*time.Nanosecond), base.Add(time.Hour))
	seed(t, repo, newID(), base.Add(30*time.Minute)) // another user's
	var got []notifications.Message
	cursor, pages := "", 0
	for {
		page, err := repo.List(ctx, notifications.Query{UserID: user, Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		pages++
		got = append(got, page.Items...)
		if page.NextCursor == "" {
			break
		}
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		cursor = page.NextCursor
	}
	if pages != 3 {
		t.Errorf("%d pages, want 3", pages)
	}
	if diff := cmp.Diff(want, got, CmpOptions()); diff != "" {
		t.Errorf("listed messages (-want +got):\n%s", diff)
	}
}

func testListExactPages(t *testing.T, repo notifications.Repository) {
	ctx := context.Background()
	user := newID()
	want := seed(t, repo, user, Epoch, Epoch.Add(time.Minute), Epoch.Add(2*time.Minute), Epoch.Add(3*time.Minute))
	first, err := repo.List(ctx, notifications.Query{UserID: user, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if first.NextCursor == "" {
		t.Fatal("first page has no cursor")
	}
	second, err := repo.List(ctx, notifications.Query{UserID: user, Limit: 2, Cursor: first.NextCursor})
	if err != nil {
		t.Fatal(err)
	}
	if second.NextCursor != "" {
		t.Errorf("last full page has cursor %q, want none", second.NextCursor)
	}
	if diff := cmp.Diff(want, append(first.Items, second.Items...), CmpOptions()); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
}

func testListEmpty(t *testing.T, repo notifications.Repository) {
	page, err := repo.List(context.Background(), notifications.Query{UserID: newID(), Limit: 5})
	if err != nil || len(page.Items) != 0 || page.NextCursor != "" {
		t.Errorf("list of a user without messages = %d items, cursor %q, %v", len(page.Items), page.NextCursor, err)
	}
}

func testListInvalidCursor(t *testing.T, repo notifications.Repository) {
	ctx := context.Background()
	other := newID()
	seed(t, repo, other, Epoch, Epoch.Add(time.Second))
	page, err := repo.List(ctx, notifications.Query{UserID: other, Limit: 1})
	if err != nil || page.NextCursor == "" {
		t.Fatalf("other user's first page: cursor %q, %v", page.NextCursor, err)
	}
	tests := []struct {
		name, cursor string
	}{
		{"not base64", "%%%"},
		{"not json", "bm90IGpzb24"},
		{"empty object", "e30"},
		{"another user's", page.NextCursor},
		{"truncated", page.NextCursor[:len(page.NextCursor)/2]},
	}
	for _, tt := range tests {
		_, err := repo.List(ctx, notifications.Query{UserID: newID(), Limit: 5, Cursor: tt.cursor})
		if !errors.Is(err, notifications.ErrInvalidCursor) {
			t.Errorf("%s: err = %v, want ErrInvalidCursor", tt.name, err)
		}
	}
}

func sortByKeyDesc(msgs []notifications.Message) {
	for i := 1; i < len(msgs); i++ {
		for j := i; j > 0 && less(msgs[j-1].Key(), msgs[j].Key()); j-- {
			msgs[j-1], msgs[j] = msgs[j], msgs[j-1]
		}
	}
}

func less(a, b notifications.Key) bool {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c < 0
	}
	return a.ID < b.ID
}

// Clock is a settable clock for services under test.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
