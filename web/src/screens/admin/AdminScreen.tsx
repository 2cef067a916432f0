// The admin area: characters, AI usage and cost, the live reply pipeline, announcements.
import type { ReactNode } from "react";
import { NavLink, Route, Routes } from "react-router";
import { useTitle } from "../../app/hooks";
import { AdminCharacters } from "./AdminCharacters";
import { CharacterEditor } from "./CharacterEditor";
import { AdminUsage } from "./AdminUsage";
import { AdminPipeline } from "./AdminPipeline";
import { AdminAnnouncements } from "./AdminAnnouncements";

export function AdminScreen(): ReactNode {
  useTitle("Admin");
  return (
    <div className="stack">
      <nav className="admin-nav" aria-label="Admin">
        <NavLink to="/admin" end>
          Characters
        </NavLink>
        <NavLink to="/admin/usage">Usage and cost</NavLink>
        <NavLink to="/admin/pipeline">Reply pipeline</NavLink>
        <NavLink to="/admin/announcements">Announcements</NavLink>
      </nav>
      <Routes>
        <Route index element={<AdminCharacters />} />
        <Route path="characters/new" element={<CharacterEditor id={null} />} />
        <Route path="characters/:id" element={<CharacterEditor />} />
        <Route path="usage" element={<AdminUsage />} />
        <Route path="pipeline" element={<AdminPipeline />} />
        <Route path="announcements" element={<AdminAnnouncements />} />
      </Routes>
    </div>
  );
}
