import { badUserInput, checkPageRequest, emptyPage, findRowPage, isUuid, type Page, type PageRequest } from '@pgamr/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { MandatesContext } from '../context';
import { NEWEST_DOSSIERS_FIRST } from '../loaders';
import { keepNodes } from '../pages';
import { dossierFromRow } from '../read-rows';
import { Dossier, type DossierStatus } from './dossier.entity';
import { readableDossiers, readableDossierWhere } from './readable-dossiers';

export interface DossierFilter {
  status?: DossierStatus | null;
  serviceId?: string | null;
  organizationId?: string | null;
  search?: string | null;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

function filterCondition(filter: DossierFilter): FilterQuery<Dossier> {
  for (const field of ['serviceId', 'organizationId'] as const) {
    const id = filter[field];
    if (id != null && !isUuid(id)) throw badUserInput("L'identifiant donné en filtre est invalide.", { field: `filter.${field}` });
  }
  const search = filter.search?.trim();
  if (search && search.length > 100) throw badUserInput('Le texte recherché ne peut dépasser 100 caractères.', { field: 'filter.search' });
  return {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.serviceId ? { serviceId: filter.serviceId } : {}),
    ...(filter.organizationId ? { organizationId: filter.organizationId } : {}),
    ...(search ? { title: { $ilike: `%${escapeLike(search)}%` } } : {}),
  };
}

/** Whose dossiers a list shows: an organization's, a program's, or every one the caller may read. */
export type DossierListScope = { organizationId: string } | { serviceId: string } | 'all';

/**
 * A page of the dossiers the caller may read within `scope`, filtered, newest first: the
 * access rule is part of the query, so pages are full and counts reveal nothing hidden. The
 * pages of a batch of organizations or programs are read together (the request's page loaders).
 */
export async function findReadableDossierPage(
  context: MandatesContext,
  scope: DossierListScope,
  filter: DossierFilter | null | undefined,
  page: PageRequest,
): Promise<Page<Dossier>> {
  checkPageRequest(page);
  const filters = filterCondition(filter ?? {});
  const readable = await readableDossierWhere(context);
  if (!readable) return emptyPage();
  const where: FilterQuery<Dossier> = { $and: [readable, filters] };
  const result =
    scope === 'all'
      ? await findRowPage(context.em, Dossier, where, NEWEST_DOSSIERS_FIRST, page, dossierFromRow(context.em))
      : 'organizationId' in scope
        ? await context.loaders.dossierPagesByOrganization.load(scope.organizationId, where, page)
        : await context.loaders.dossierPagesByService.load(scope.serviceId, where, page);
  // The same rule again, record by record: it also writes a mandataire's reads to the disclosure log.
  return keepNodes(result, await readableDossiers(context, result.nodes));
}
