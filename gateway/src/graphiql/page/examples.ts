// Ready-made operations for the analysts' questions (issue 18), listed in GraphiQL's « Exemples »
// panel. examples.test.ts validates each one against the committed API schema, so that an example
// never drifts from it: a renamed field fails the unit tests, not an analyst's morning.

/** A ready-made operation: `document` is one named operation, `title` and `description` say in French what it answers. */
export interface ExampleOperation {
  title: string;
  description: string;
  document: string;
}

/** The group an example belongs to in the panel, in the panel's order. */
export interface ExampleGroup {
  title: string;
  examples: readonly ExampleOperation[];
}

/**
 * Questions answered by walking records (100 per page at most). For the figures across
 * organizations, the statistics queries get their own group: see `STATISTICS_EXAMPLES` below.
 */
export const RECORD_EXAMPLES: readonly ExampleOperation[] = [
  {
    title: 'Dossiers en analyse',
    description:
      'Combien de dossiers sont en analyse dans les programmes de votre direction, et lesquels : programme, organisation, région et montant demandé.',
    document: `# Dossiers en analyse : le nombre total et les 100 plus récents.
query DossiersEnAnalyse {
  dossiers(filter: { status: IN_REVIEW }, first: 100) {
    totalCount
    nodes {
      title
      requestedAmount
      service {
        code
      }
      organization {
        name
        administrativeRegion
      }
      updatedAt
    }
  }
}
`,
  },
  {
    title: 'Montants demandés des dossiers acceptés',
    description: 'Les dossiers acceptés avec le montant demandé, le programme et la date de la décision.',
    document: `# Dossiers acceptés : montant demandé, programme, organisation, et l'historique des étapes.
query MontantsAcceptes {
  dossiers(filter: { status: ACCEPTED }, first: 100) {
    totalCount
    nodes {
      title
      requestedAmount
      service {
        code
      }
      organization {
        name
      }
      history {
        toStatus
        changedAt
      }
    }
  }
}
`,
  },
  {
    title: 'Attente en analyse',
    description: 'Depuis quand chaque dossier en analyse attend : les dates de ses changements d’étape.',
    document: `# Un dossier par ligne de l'historique : l'attente se lit entre les dates.
query AttenteEnAnalyse {
  dossiers(filter: { status: IN_REVIEW }, first: 100) {
    totalCount
    nodes {
      title
      service {
        code
      }
      organization {
        name
      }
      history {
        fromStatus
        toStatus
        changedAt
      }
    }
  }
}
`,
  },
  {
    title: 'Nombre de dossiers par étape',
    description: 'Le nombre de dossiers à chaque étape, en une requête : un alias par étape.',
    document: `# totalCount seulement : aucun dossier n'est lu, la requête compte.
query DossiersParEtape {
  brouillons: dossiers(filter: { status: DRAFT }) {
    totalCount
  }
  transmis: dossiers(filter: { status: SUBMITTED }) {
    totalCount
  }
  enAnalyse: dossiers(filter: { status: IN_REVIEW }) {
    totalCount
  }
  acceptes: dossiers(filter: { status: ACCEPTED }) {
    totalCount
  }
  refuses: dossiers(filter: { status: REFUSED }) {
    totalCount
  }
}
`,
  },
  {
    title: 'Rapports financiers en retard',
    description:
      'Pour chaque organisme municipal, ses rapports financiers PERFORM : exercice, étape, échéance du 30 juin (R18) et retard. Réservé à la DNIFF et aux rôles PERFORM.',
    document: `# Les organismes du Répertoire (100 par page) et leurs rapports : isLate dit le retard.
query RapportsFinanciersEnRetard {
  municipalBodies(first: 100) {
    totalCount
    nodes {
      name
      administrativeRegion
      financialReports {
        nodes {
          fiscalYear
          status
          deadline
          firstTransmittedAt
          isLate
        }
      }
    }
  }
}
`,
  },
  {
    title: 'Mandats en vigueur par firme',
    description: 'Les mandats en vigueur sur les dossiers : firme, niveau, organisation mandante et programme.',
    document: `# Un mandat par ligne, avec son dossier : regroupez par firme et par niveau dans le tableur.
query MandatsParFirme {
  dossiers(first: 100) {
    nodes {
      title
      service {
        code
      }
      activeMandates {
        nodes {
          firm {
            name
          }
          level
          organization {
            name
          }
          startsOn
          endsOn
        }
      }
    }
  }
}
`,
  },
  {
    title: 'Organismes municipaux du Répertoire',
    description: 'Les organismes municipaux : code géographique, région administrative et présence d’un RSÉ actif.',
    document: `query OrganismesMunicipaux {
  municipalBodies(first: 100) {
    totalCount
    nodes {
      name
      geographicCode
      administrativeRegion
      hasActiveRse
    }
  }
}
`,
  },
  {
    title: 'Mon profil',
    description: 'Qui vous êtes pour le portail : votre direction, votre organisation et vos services en ligne.',
    document: `query MonProfil {
  me {
    givenName
    familyName
    direction
    organization {
      name
    }
    onlineServices {
      sector {
        name
      }
      services {
        service {
          code
          name
        }
        roles
      }
    }
  }
}
`,
  },
];

/**
 * The statistics queries (`dossierStatistics`, `financialReportStatistics`, …) once they are in
 * the API schema: add their examples to this list; the panel shows the group when it is not
 * empty, and examples.test.ts validates them like the others.
 */
export const STATISTICS_EXAMPLES: readonly ExampleOperation[] = [];

/** Every group of the panel, in its order; empty groups are not shown. */
export const EXAMPLE_GROUPS: readonly ExampleGroup[] = [
  { title: 'Statistiques', examples: STATISTICS_EXAMPLES },
  { title: 'Dossiers, rapports et organisations', examples: RECORD_EXAMPLES },
];
