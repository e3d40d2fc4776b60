package migrate

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"fugu/migrate/etcfiles"
)

// planCrontabs installs each old user's crontab on the new machine when
// that user exists there.
func planCrontabs(p *Plan, old, cur *Inventory) {
	users := cur.Users()
	for _, u := range sortedKeys(old.Crontabs) {
		tab := old.Crontabs[u]
		if cur.Files["/etc/passwd"].Data != nil && !slices.Contains(users, u) {
			p.Skipped = append(p.Skipped, Skip{Path: path.Join("/var/cron/tabs", u), Reason: fmt.Sprintf("user %s does not exist on the new machine", u)})
			continue
		}
		c := CrontabChange{User: u, Data: tab}
		have, ok := cur.Crontabs[u]
		switch {
		case !ok:
			c.Action = Create
		case string(have) == string(tab):
			c.Action = Unchanged
		default:
			c.Action = Replace
		}
		if ok {
			c.TargetSum = sum(have)
		}
		if u == "root" && c.Action == Replace {
			c.Notes = append(c.Notes, "root's crontab comes with the base system (daily, weekly, monthly, newsyslog) and the new release's may differ: review the diff, or carry only your own lines")
		}
		if c.Action != Unchanged {
			// Plans are printed and kept: passwords in backup jobs stay out.
			c.Diff = UnifiedDiff("a/crontab."+u, "b/crontab."+u, etcfiles.RedactCrontab(string(have)), etcfiles.RedactCrontab(string(tab)))
			if c.Diff == "" {
				c.Diff = "(only secret values differ; not shown)\n"
			}
		}
		p.Crontabs = append(p.Crontabs, c)
	}
	slices.SortStableFunc(p.Skipped, func(a, b Skip) int { return strings.Compare(a.Path, b.Path) })
}

// planUsers notes the wheel members of the old machine that the new one
// lacks: fugu does not edit the user database (reference, section 6).
func planUsers(p *Plan, old, cur *Inventory) {
	if cur.Files["/etc/group"].Data == nil {
		return
	}
	have := cur.GroupMembers("wheel")
	users := cur.Users()
	for _, u := range old.GroupMembers("wheel") {
		switch {
		case !slices.Contains(users, u):
			p.Notes = append(p.Notes, fmt.Sprintf("user %s (in wheel on %s) does not exist on %s: create it with useradd -m -G wheel %s", u, old.Host, cur.Host, u))
		case !slices.Contains(have, u):
			p.Notes = append(p.Notes, fmt.Sprintf("user %s is in wheel on %s but not on %s: run usermod -G wheel %s", u, old.Host, cur.Host, u))
		}
	}
}
