import { Download, Upload } from 'lucide-react';
import { useState } from 'react';
import { Button, ButtonLink } from '@/components/ui/button';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import type { RestaurantFilters } from '../api/queries';
import { exportRestaurants } from '../import/api/export-restaurants';
import { downloadText } from '../import/utils/download';
import type { Rep } from '../types';
import { EXPORT_MAX_ROWS } from '@forkflow/domain/restaurant-csv/fields';

type Props = {
  /** The list's current filters: the export writes exactly the rows they match. */
  filters: RestaurantFilters;
  /** To write each restaurant's rep as an email (what an import reads back). */
  reps: readonly Rep[];
};

/** The restaurants list header's "Import CSV" link and "Export CSV" button. */
export function RestaurantsListActions({ filters, reps }: Props) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const [exporting, setExporting] = useState(false);

  const onExport = async () => {
    setExporting(true);
    try {
      const result = await exportRestaurants(organisation.id, filters, reps);
      if (result.rows === 0) {
        toast({
          tone: 'info',
          title: 'Nothing to export',
          description: 'No restaurants match these filters.',
        });
        return;
      }
      const day = new Date().toISOString().slice(0, 10);
      downloadText(`restaurants-${day}.csv`, result.csv);
      toast({
        tone: result.capped ? 'info' : 'success',
        title: `Exported ${result.rows.toLocaleString()} ${result.rows === 1 ? 'restaurant' : 'restaurants'}`,
        description: result.capped
          ? `An export stops at ${EXPORT_MAX_ROWS.toLocaleString()} rows: narrow the filters to export the rest.`
          : undefined,
      });
    } catch (error) {
      toast({
        tone: 'error',
        title: "Couldn't export restaurants",
        description: getErrorMessage(error),
      });
    } finally {
      setExporting(false);
    }
  };

  return (
    <div className="flex flex-wrap gap-2">
      <ButtonLink to={paths.app.restaurantsImport.getHref()} variant="secondary">
        <Upload className="size-4" aria-hidden />
        Import CSV
      </ButtonLink>
      <Button variant="secondary" onClick={() => void onExport()} isLoading={exporting}>
        {exporting ? null : <Download className="size-4" aria-hidden />}
        Export CSV
      </Button>
    </div>
  );
}
