package profiles

import "testing"

func TestStartersLoad(t *testing.T) {
	for _, role := range StarterRoles {
		fsys, err := Starter(role)
		if err != nil {
			t.Fatal(err)
		}
		site, err := Load(fsys)
		if err != nil {
			t.Errorf("Load(Starter(%q)) = %v", role, err)
			continue
		}
		if site.Profiles[role] == nil || len(site.Machines) != 1 || site.Machines[0].ProfileName != role {
			t.Errorf("Starter(%q) has profiles %v, machines %v", role, site.Profiles, site.Machines)
		}
	}
	if _, err := Starter("desktop"); err == nil {
		t.Errorf("Starter(desktop) = nil error")
	}
}
