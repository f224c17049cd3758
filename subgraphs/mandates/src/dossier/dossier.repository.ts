import { badUserInput, emptyPage, findPage, isUuid, type Page, type PageRequest } from '@pgamr/kit';
import type { FilterQuery } from '@mikro-orm/core';
import { readableDossierCondition, readableDossiers } from '../access/record-access';
import type { MandatesContext } from '../context';
import { Dossier, type DossierStatus } from './dossier.entity';

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

/**
 * A page of the dossiers the caller may read within `scope`, filtered, newest first: the
 * access rule is part of the query, so pages are full and counts reveal nothing hidden.
 */
export async function findReadableDossierPage(
  context: MandatesContext,
  scope: FilterQuery<Dossier>,
  filter: DossierFilter | null | undefined,
  page: PageRequest,
): Promise<Page<Dossier>> {
  const filters = filterCondition(filter ?? {});
  const readable = await readableDossierCondition(context);
  if (!readable) return emptyPage();
  const result = await findPage(context.em, Dossier, { $and: [readable, scope, filters] }, { createdAt: 'desc', id: 'desc' }, page);
  return { ...result, nodes: await readableDossiers(context, result.nodes) };
}
