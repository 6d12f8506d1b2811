import { useQuery } from '@tanstack/react-query';
import { ExternalLink, Globe, Mail, MapPin, Pencil, Phone, Trash2, UserRound } from 'lucide-react';
import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { BackLink, DetailPlaceholder } from '@/components/ui/page-states';
import { Skeleton } from '@/components/ui/skeleton';
import { paths } from '@/config/paths';
import { useCurrentOrganisation } from '@/lib/organisation';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { restaurantQueries, type RestaurantDetail } from '../api/queries';
import type { Rep } from '../types';
import { StageBadge, StatusBadge, WarmthBadge } from './restaurant-badges';

type Props = {
  id: string;
  reps: Rep[];
  onEdit: (restaurant: RestaurantDetail) => void;
  onDelete: (restaurant: RestaurantDetail) => void;
};

function Card({
  title,
  children,
  className,
}: {
  title: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section
      aria-label={title}
      className={`rounded-xl bg-white shadow-xs ring-1 ring-slate-200 ${className ?? ''}`}
    >
      <h2 className="border-b border-slate-100 px-5 py-3 text-sm font-semibold text-slate-900">
        {title}
      </h2>
      <div className="px-5 py-4">{children}</div>
    </section>
  );
}

function Item({ label, children, icon }: { label: string; children: ReactNode; icon?: ReactNode }) {
  return (
    <div className="flex gap-3 py-2">
      {icon ? <span className="mt-0.5 text-slate-400">{icon}</span> : null}
      <div className="min-w-0 flex-1">
        <dt className="text-xs font-medium text-slate-500">{label}</dt>
        <dd className="mt-0.5 text-sm break-words text-slate-900">{children}</dd>
      </div>
    </div>
  );
}

const none = <span className="text-slate-400">Not set</span>;

export function RestaurantDetails({ id, reps, onEdit, onDelete }: Props) {
  const organisation = useCurrentOrganisation();
  const query = useQuery(restaurantQueries.detail(organisation.id, id));

  const back = <BackLink to={paths.app.restaurants.getHref()}>Restaurants</BackLink>;

  if (query.isPending || query.isError) {
    return (
      <DetailPlaceholder
        back={back}
        query={query}
        label="Loading restaurant"
        notFoundTitle="Restaurant not found"
        errorTitle="Couldn't load this restaurant"
      >
        <div className="space-y-3">
          <Skeleton className="h-8 w-72 max-w-full" />
          <Skeleton className="h-5 w-48" />
        </div>
        <div className="grid gap-6 lg:grid-cols-3">
          <Skeleton className="h-64 lg:col-span-2" />
          <Skeleton className="h-64" />
        </div>
      </DetailPlaceholder>
    );
  }

  const restaurant = query.data;
  const rep = restaurant.assigned_sales_rep
    ? reps.find((r) => r.id === restaurant.assigned_sales_rep)
    : undefined;
  const place = [restaurant.cuisine, restaurant.city].filter(Boolean).join(' · ');

  return (
    <div className="space-y-6">
      <title>{`${restaurant.name} · Forkflow`}</title>
      {back}
      <header className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight break-words text-slate-900">
            {restaurant.name}
          </h1>
          {place ? <p className="mt-1 text-sm text-slate-600">{place}</p> : null}
          <div className="mt-3 flex flex-wrap gap-2">
            <StageBadge stage={restaurant.lead_stage} />
            <WarmthBadge warmth={restaurant.lead_warmth} />
            <StatusBadge status={restaurant.lead_status} />
          </div>
        </div>
        <div className="flex shrink-0 gap-2">
          <Button variant="secondary" onClick={() => onEdit(restaurant)}>
            <Pencil className="size-4" aria-hidden />
            Edit
          </Button>
          <Button variant="secondary-danger" onClick={() => onDelete(restaurant)}>
            <Trash2 className="size-4" aria-hidden />
            Delete
          </Button>
        </div>
      </header>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card title="Notes">
            {restaurant.notes ? (
              <p className="text-sm leading-6 whitespace-pre-wrap text-slate-800">
                {restaurant.notes}
              </p>
            ) : (
              <p className="text-sm text-slate-500">
                No notes yet.{' '}
                <button
                  type="button"
                  className="font-medium text-brand-700 hover:underline"
                  onClick={() => onEdit(restaurant)}
                >
                  Add a note
                </button>
              </p>
            )}
          </Card>
          <Card title="Contact">
            <dl className="grid gap-x-6 sm:grid-cols-2">
              <Item label="Contact name" icon={<UserRound className="size-4" aria-hidden />}>
                {restaurant.contact_name ?? none}
              </Item>
              <Item label="Email" icon={<Mail className="size-4" aria-hidden />}>
                {restaurant.contact_email ? (
                  <a
                    className="text-brand-700 hover:underline"
                    href={`mailto:${restaurant.contact_email}`}
                  >
                    {restaurant.contact_email}
                  </a>
                ) : (
                  none
                )}
              </Item>
              <Item label="Phone" icon={<Phone className="size-4" aria-hidden />}>
                {restaurant.contact_phone ? (
                  <a
                    className="text-brand-700 hover:underline"
                    href={`tel:${restaurant.contact_phone.replace(/[^\d+]/g, '')}`}
                  >
                    {restaurant.contact_phone}
                  </a>
                ) : (
                  none
                )}
              </Item>
              <Item label="Website" icon={<Globe className="size-4" aria-hidden />}>
                {restaurant.website ? (
                  <a
                    className="inline-flex items-center gap-1 text-brand-700 hover:underline"
                    href={restaurant.website}
                    target="_blank"
                    rel="noreferrer noopener"
                  >
                    {restaurant.website.replace(/^https?:\/\//, '')}
                    <ExternalLink className="size-3" aria-hidden />
                  </a>
                ) : (
                  none
                )}
              </Item>
              <Item label="Address" icon={<MapPin className="size-4" aria-hidden />}>
                {[restaurant.address, restaurant.city].filter(Boolean).join(', ') || none}
              </Item>
            </dl>
          </Card>
        </div>
        <div className="space-y-6">
          <Card title="Lead">
            <dl>
              <Item label="Stage">
                <StageBadge stage={restaurant.lead_stage} />
              </Item>
              <Item label="Warmth">
                <WarmthBadge warmth={restaurant.lead_warmth} />
              </Item>
              <Item label="Status">
                <StatusBadge status={restaurant.lead_status} />
              </Item>
              <Item label="Assigned rep">
                {restaurant.assigned_sales_rep ? (rep?.name ?? 'Former member') : none}
              </Item>
              <Item label="Cuisine">{restaurant.cuisine ?? none}</Item>
            </dl>
          </Card>
          <Card title="History">
            <dl>
              <Item label="Added">
                <time
                  dateTime={restaurant.created_at}
                  title={formatDateTime(restaurant.created_at)}
                >
                  {formatDateTime(restaurant.created_at)}
                </time>
              </Item>
              <Item label="Last updated">
                <time
                  dateTime={restaurant.updated_at}
                  title={formatDateTime(restaurant.updated_at)}
                >
                  {formatRelative(restaurant.updated_at)}
                </time>
              </Item>
            </dl>
          </Card>
        </div>
      </div>
    </div>
  );
}
