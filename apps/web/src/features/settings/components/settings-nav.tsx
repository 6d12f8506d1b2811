import { NavLink } from 'react-router';
import { paths } from '@/config/paths';
import { cn } from '@/lib/utils';

const SECTIONS = [
  { name: 'Business calendar', to: paths.app.businessCalendar.getHref() },
  { name: 'Connections', to: paths.app.connections.getHref() },
  { name: 'Transformers', to: paths.app.transformers.getHref() },
];

/** The settings pages, as tabs above each of them. */
export function SettingsNav() {
  return (
    <nav aria-label="Settings" className="border-b border-slate-200">
      <ul className="-mb-px flex gap-4">
        {SECTIONS.map((section) => (
          <li key={section.to}>
            <NavLink
              to={section.to}
              className={({ isActive }) =>
                cn(
                  'inline-block border-b-2 px-1 pb-2 text-sm font-medium',
                  isActive
                    ? 'border-brand-600 text-brand-700'
                    : 'border-transparent text-slate-600 hover:text-slate-900',
                )
              }
            >
              {section.name}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
