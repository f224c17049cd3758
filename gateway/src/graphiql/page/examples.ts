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

/** Questions answered by walking records (100 per page at most), and who one is for the portal. */
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
 * Figures across organizations (`dossierStatistics`, `mandateStatistics`,
 * `financialReportStatistics`): one query, grouped and filtered, instead of walking pages. The
 * next statistics queries of issue 18 (pending access requests, users per organization type) add
 * their examples here once they are in the API schema; examples.test.ts validates them like the others.
 */
export const STATISTICS_EXAMPLES: readonly ExampleOperation[] = [
  {
    title: 'Dossiers transmis et en analyse par programme',
    description:
      'Combien de dossiers attendent une décision dans chaque programme de votre direction, leurs montants demandés et le temps médian passé à l’analyse.',
    document: `# Un groupe par programme et par statut ; total additionne tous les groupes.
query DossiersEnAttenteParProgramme {
  dossierStatistics(groupBy: [PROGRAM, STATUS], filter: { statuses: [SUBMITTED, IN_REVIEW] }) {
    groups {
      program {
        code
      }
      status
      dossierCount
      requestedAmount
      medianDaysInReview
    }
    total {
      dossierCount
      requestedAmount
    }
  }
}
`,
  },
  {
    title: 'Dossiers à l’analyse par région administrative',
    description:
      'Combien de dossiers de chaque programme sont à l’analyse dans chaque région administrative, selon le Répertoire des municipalités aujourd’hui, et depuis combien de temps (médiane, en jours).',
    document: `query DossiersAlAnalyseParRegion {
  dossierStatistics(groupBy: [ADMINISTRATIVE_REGION, PROGRAM], filter: { statuses: [IN_REVIEW] }) {
    groups {
      administrativeRegion
      program {
        code
      }
      dossierCount
      requestedAmount
      medianDaysInReview
    }
    total {
      dossierCount
    }
  }
}
`,
  },
  {
    title: 'Montants demandés et acceptés par programme et année',
    description: 'Les montants demandés et acceptés (sommes exactes) par programme et par année de transmission.',
    document: `query MontantsParProgrammeEtAnnee {
  dossierStatistics(groupBy: [PROGRAM, SUBMISSION_YEAR]) {
    groups {
      program {
        code
      }
      submissionYear
      dossierCount
      requestedAmount
      acceptedAmount
    }
  }
}
`,
  },
  {
    title: 'Dossiers transmis par mois',
    description: 'Le nombre de dossiers transmis chaque mois depuis le début de l’année 2026, tous programmes de votre direction confondus.',
    document: `query DossiersTransmisParMois {
  dossierStatistics(groupBy: [SUBMISSION_MONTH], filter: { submittedFrom: "2026-01-01" }) {
    groups {
      submissionMonth
      dossierCount
      requestedAmount
    }
  }
}
`,
  },
  {
    title: 'Mandats en vigueur par firme et niveau',
    description: 'Combien de mandats chaque firme détient, par niveau, avec le nombre de mandataires et de dossiers visés.',
    document: `query MandatsParFirmeEtNiveau {
  mandateStatistics(groupBy: [FIRM, LEVEL], filter: { statuses: [ACTIVE] }) {
    groups {
      firm {
        name
      }
      level
      mandateCount
      mandataireCount
      dossierCount
    }
  }
}
`,
  },
  {
    title: 'Organismes en retard pour leur rapport financier 2025',
    description:
      'Les organismes municipaux dont le rapport financier 2025 est en retard (échéance du 30 juin 2026, R18), ceux qui ne l’ont pas encore ouvert compris, avec le retard médian en jours. Pour la DNIFF ou une direction régionale.',
    document: `query RetardsRapportFinancier2025 {
  financialReportStatistics(groupBy: [ORGANIZATION], filter: { fiscalYears: [2025], late: true, countMissingReports: true }) {
    groups {
      organization {
        name
        administrativeRegion
      }
      reportCount
      missingCount
      medianDaysLate
    }
    total {
      reportCount
      missingCount
      lateCount
    }
  }
}
`,
  },
  {
    title: 'Rapports financiers 2025 en retard par MRC',
    description:
      'Dans chaque MRC, selon le Répertoire des municipalités aujourd’hui, le nombre de rapports financiers 2025 en retard (R18) et le retard médian en jours ; les villes hors MRC forment le groupe sans MRC. Pour la DNIFF.',
    document: `query RetardsRapportFinancier2025ParMrc {
  financialReportStatistics(groupBy: [MRC], filter: { fiscalYears: [2025], late: true }) {
    groups {
      mrc {
        name
      }
      reportCount
      medianDaysLate
    }
    total {
      reportCount
    }
  }
}
`,
  },
  {
    title: 'Rapports financiers par exercice et retard',
    description: 'Pour chaque exercice, les rapports transmis à temps, en retard ou pas encore transmis. Pour la DNIFF.',
    document: `query RapportsParExerciceEtRetard {
  financialReportStatistics(groupBy: [FISCAL_YEAR, LATE]) {
    groups {
      fiscalYear
      late
      reportCount
      transmittedCount
      lateCount
      medianDaysLate
    }
  }
}
`,
  },
  {
    title: 'Demandes d’accès en attente et leur âge, par service',
    description:
      'Combien de demandes d’accès attendent une décision dans chaque service, par nature (premier gestionnaire local ou accès), avec leur âge médian et la plus ancienne, en jours.',
    document: `query DemandesEnAttenteParService {
  accessRequestStatistics(groupBy: [SERVICE, KIND]) {
    groups {
      service {
        code
        name
      }
      kind
      pendingCount
      medianAgeDays
      oldestAgeDays
    }
    total {
      pendingCount
    }
  }
}
`,
  },
  {
    title: 'Utilisateurs par type d’organisation',
    description: 'Le nombre d’utilisateurs, d’organisations et de RSÉ par type d’organisation et par statut. Pour la DGOMR et le service à la clientèle de clicSÉQUR.',
    document: `query UtilisateursParTypeOrganisation {
  userStatistics(groupBy: [ORGANIZATION_KIND, STATUS]) {
    groups {
      organizationKind
      status
      userCount
      organizationCount
      rseCount
    }
    total {
      userCount
      organizationCount
    }
  }
}
`,
  },
];

/** Every group of the panel, in its order (figures first: they answer most questions); empty groups are not shown. */
export const EXAMPLE_GROUPS: readonly ExampleGroup[] = [
  { title: 'Statistiques', examples: STATISTICS_EXAMPLES },
  { title: 'Dossiers, rapports et organisations', examples: RECORD_EXAMPLES },
];
