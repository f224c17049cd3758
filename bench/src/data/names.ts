import { Faker, base, fr, fr_CA } from '@faker-js/faker';
import type { Random } from './random';

// Québec's most common names. faker's French lists alone read as France's (and old-fashioned):
// most people are drawn here, the rest from faker's fr_CA/fr locale for variety.
const GIVEN_FEMALE = [
  'Marie', 'Julie', 'Isabelle', 'Nathalie', 'Sylvie', 'Chantal', 'Josée', 'Caroline', 'Mélanie', 'Stéphanie', 'Geneviève',
  'Valérie', 'Annie', 'Catherine', 'Audrey', 'Émilie', 'Sophie', 'Karine', 'Véronique', 'Marie-Ève', 'Marie-Claude', 'Lyne',
  'Manon', 'France', 'Johanne', 'Danielle', 'Louise', 'Martine', 'Nancy', 'Amélie', 'Andrée-Anne', 'Camille', 'Léa', 'Rosalie',
  'Noémie', 'Laurence', 'Sarah', 'Maude', 'Mireille', 'Ginette', 'Hélène', 'Brigitte', 'Lucie', 'Anne-Marie', 'Marie-Pier',
  'Justine', 'Josiane', 'Myriam', 'Éliane', 'Kathleen',
];
const GIVEN_MALE = [
  'Jean', 'Pierre', 'Michel', 'André', 'Stéphane', 'Martin', 'Sylvain', 'Éric', 'Daniel', 'Alain', 'François', 'Luc', 'Marc',
  'Patrick', 'Sébastien', 'Mathieu', 'Simon', 'Jonathan', 'Maxime', 'Alexandre', 'Guillaume', 'Nicolas', 'Frédéric',
  'Dominique', 'Yves', 'Denis', 'Claude', 'Normand', 'Réjean', 'Gaétan', 'Serge', 'Richard', 'Benoît', 'Steve',
  'Jean-François', 'Jean-Philippe', 'Marc-André', 'Pierre-Luc', 'Olivier', 'Samuel', 'Gabriel', 'William', 'Félix', 'Vincent',
  'Louis', 'Philippe', 'Jérôme', 'Hugo', 'Yannick', 'Carl',
];
const FAMILY = [
  'Tremblay', 'Gagnon', 'Roy', 'Côté', 'Bouchard', 'Gauthier', 'Morin', 'Lavoie', 'Fortin', 'Gagné', 'Ouellet', 'Pelletier',
  'Bélanger', 'Lévesque', 'Bergeron', 'Leblanc', 'Paquette', 'Girard', 'Simard', 'Boucher', 'Caron', 'Beaulieu', 'Cloutier',
  'Dubé', 'Poirier', 'Fournier', 'Lapointe', 'Leclerc', 'Lefebvre', 'Poulin', 'Thibault', 'St-Pierre', 'Nadeau', 'Martin',
  'Landry', 'Martel', 'Bédard', 'Grenier', 'Lessard', 'Bernier', 'Richard', 'Michaud', 'Hébert', 'Desjardins', 'Couture',
  'Turcotte', 'Lachance', 'Parent', 'Blais', 'Gosselin', 'Savard', 'Proulx', 'Beaudoin', 'Demers', 'Perreault', 'Boudreau',
  'Lemieux', 'Cyr', 'Perron', 'Dufour', 'Dion', 'Mercier', 'Bolduc', 'Bérubé', 'Boisvert', 'Langlois', 'Ménard', 'Therrien',
  'Plante', 'Bilodeau', 'Blanchette', 'Dussault', 'Tardif', 'Vachon', 'Guay', 'Charbonneau', 'Labbé', 'Lacroix', 'Deschênes',
  'Brassard', 'Lauzon', 'Rousseau', 'Nolet', 'Doyon', 'Paradis', 'Veilleux', 'Vaillancourt', 'Marcotte', 'Larouche', 'Harvey',
  'Gravel', 'Racine', 'Drouin', 'Thériault', 'Arsenault', 'Fillion', 'Laflamme', 'Provencher', 'Chabot', 'Rioux', 'Gingras',
  'Asselin', 'Jacques', 'Lapierre', 'Robitaille', 'Dumont', 'Desrosiers', 'Séguin', 'Giguère', 'Champagne', 'Lalonde', 'Lemay',
  'Carrier', 'Boivin', 'Lambert', 'Fontaine', 'Tessier', 'Beauchamp', 'Audet', 'Sirois', 'Lebel', 'Allard', 'Bourque',
  'Marchand', 'Pépin', 'Laroche', 'Vézina',
];

const SAINTS = [
  'Saint-Joseph', 'Sainte-Anne', 'Saint-Louis', 'Saint-Jean', 'Sainte-Marie', 'Saint-Pierre', 'Saint-Paul', 'Saint-Michel',
  'Saint-François', 'Saint-Jacques', 'Sainte-Claire', 'Saint-Georges', 'Saint-Antoine', 'Saint-Charles', 'Sainte-Catherine',
  'Saint-Étienne', 'Saint-Isidore', 'Saint-Zacharie', 'Saint-Ferdinand', 'Saint-Hilaire', 'Sainte-Brigitte', 'Saint-Damien',
  'Saint-Gédéon', 'Sainte-Hénédine', 'Saint-Honoré', 'Saint-Lazare', 'Saint-Magloire', 'Saint-Norbert', 'Saint-Prosper',
  'Saint-Rémi', 'Saint-Sylvestre', 'Saint-Théophile', 'Saint-Ubalde', 'Saint-Valentin', 'Sainte-Agathe', 'Sainte-Cécile',
  'Sainte-Élisabeth', 'Sainte-Françoise', 'Sainte-Geneviève', 'Sainte-Hélène', 'Sainte-Justine', 'Sainte-Luce',
  'Sainte-Monique', 'Sainte-Perpétue', 'Sainte-Rose', 'Sainte-Sabine', 'Sainte-Thècle', 'Saint-Adrien', 'Saint-Alban',
  'Saint-Benoît', 'Saint-Cyprien', 'Saint-Denis', 'Saint-Elzéar', 'Saint-Fabien', 'Saint-Gabriel', 'Saint-Hubert',
  'Saint-Ignace', 'Saint-Jules', 'Saint-Léon', 'Saint-Marcel', 'Saint-Nazaire', 'Saint-Odilon', 'Saint-Pacôme',
  'Saint-Raphaël', 'Saint-Siméon', 'Saint-Tite', 'Saint-Urbain', 'Saint-Victor', 'Saint-Wenceslas', 'Saint-Zénon',
];
const SAINT_QUALIFIERS = [
  'de-Beauce', 'du-Lac', 'des-Monts', 'de-Wolfe', 'de-Bellechasse', 'du-Nord', 'de-la-Rivière', 'des-Érables', 'de-Kamouraska',
  'de-Lotbinière', 'de-Shefford', "d'Orford", 'du-Rocher', 'de-Portneuf', 'de-la-Pérade', 'des-Bois', 'de-Mékinac',
  'de-Charlevoix', 'du-Cap', 'de-Gaspé', 'sur-Richelieu', 'de-Matane', 'de-Témiscouata', 'des-Laurentides', 'de-Brandon',
  'de-Rimouski', 'des-Saints-Anges', 'de-Bagot', 'du-Parc', 'de-Tring', 'de-Horton', 'de-Ham', 'des-Plaines', 'de-Grantham',
];
const PLACE_STEMS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Lac', ['Etchemin', 'Drolet', 'Poulin', 'Frontière', 'Sergent', 'Bouchette', 'Supérieur', 'aux-Sables', 'des-Aigles', 'des-Écorces', 'Édouard', 'Simon', 'Beauport', 'Nominingue']],
  ['Rivière', ['Bleue', 'Ouelle', 'Éternité', 'à-Pierre', 'aux-Outardes', 'Héva', 'Rouge', 'du-Loup', 'Beaudette', 'Saint-Jean']],
  ['Pointe', ['Lebel', 'aux-Outardes', 'à-la-Croix', 'des-Cascades', 'Calumet', 'Fortune']],
  ['Mont', ['Carmel', 'Joli', 'Laurier', 'Saint-Michel', 'Tremblant', 'Blanc', 'Royal-des-Cèdres']],
  ['Val', ['Joli', 'Racine', 'Brillant', 'des-Sources', 'Alain', 'Saint-Gilles', 'des-Lacs']],
  ['Cap', ['Chat', 'Santé', 'Saint-Ignace', 'aux-Meules', 'des-Rosiers']],
  ['Notre-Dame', ['de-Lourdes', 'de-Bonsecours', 'de-Pontmain', 'de-Ham', 'de-Stanbridge', 'de-Montauban', 'des-Neiges', 'de-la-Salette', 'du-Portage', 'des-Pins']],
  ['Baie', ['Comeau', 'Trinité', 'des-Sables', 'Saint-Paul', 'du-Febvre', 'Johan-Beetz']],
];
const TOWNSHIPS = [
  'Hatley', 'Stanstead', 'Potton', 'Granby', 'Ely', 'Wotton', 'Cleveland', 'Melbourne', 'Kingsey', 'Chester', 'Hereford', 'Bolton',
  'Barnston', 'Compton', 'Windsor', 'Stoke', 'Garthby', 'Harrington', 'Lochaber', 'Wentworth', 'Arundel', 'Grenville',
  'Litchfield', 'Clarendon', 'Bristol', 'Thorne', 'Mansfield', 'Waltham', 'Aumond', 'Gore', 'Newport', 'Dudswell', 'Weedon',
];
const CARDINAL = ['Nord', 'Sud', 'Est', 'Ouest', 'Station', 'Centre'];

/** The 17 administrative regions, as the Répertoire writes them. */
export const REGIONS = [
  '01 Bas-Saint-Laurent', '02 Saguenay–Lac-Saint-Jean', '03 Capitale-Nationale', '04 Mauricie', '05 Estrie', '06 Montréal',
  '07 Outaouais', '08 Abitibi-Témiscamingue', '09 Côte-Nord', '10 Nord-du-Québec', '11 Gaspésie–Îles-de-la-Madeleine',
  '12 Chaudière-Appalaches', '13 Laval', '14 Lanaudière', '15 Laurentides', '16 Montérégie', '17 Centre-du-Québec',
];

/** Regional county municipalities (real names; Memphrémagog is the demo data set's). */
export const MRC_NAMES = [
  'MRC des Appalaches', 'MRC des Basques', 'MRC des Chenaux', "MRC des Collines-de-l'Outaouais", 'MRC des Etchemins',
  'MRC des Jardins-de-Napierville', 'MRC des Laurentides', 'MRC des Maskoutains', 'MRC des Moulins', "MRC des Pays-d'en-Haut",
  'MRC des Sources', 'MRC de Bellechasse', 'MRC de Lotbinière', 'MRC de Kamouraska', 'MRC de Témiscouata', 'MRC de Charlevoix',
  'MRC de Portneuf', 'MRC de Mékinac', 'MRC de Montcalm', 'MRC de Matawinie', 'MRC de Papineau', 'MRC de Pontiac',
  'MRC Brome-Missisquoi', 'MRC de Coaticook', 'MRC du Haut-Saint-François', 'MRC du Val-Saint-François', 'MRC du Granit',
  "MRC d'Arthabaska", 'MRC de Bécancour', 'MRC de Nicolet-Yamaska', 'MRC de Drummond', "MRC d'Acton", 'MRC de Rouville',
  'MRC de Vaudreuil-Soulanges', 'MRC de Beauharnois-Salaberry', 'MRC de Roussillon', 'MRC de Joliette', "MRC de D'Autray",
  "MRC d'Argenteuil", 'MRC d’Antoine-Labelle', 'MRC de la Vallée-de-la-Gatineau', "MRC d'Abitibi", 'MRC de Témiscamingue',
  'MRC du Domaine-du-Roy', 'MRC de Maria-Chapdelaine', 'MRC du Fjord-du-Saguenay', 'MRC de La Haute-Côte-Nord',
  'MRC de Manicouagan', 'MRC de Sept-Rivières', 'MRC de Minganie', "MRC d'Avignon", 'MRC de Bonaventure', 'MRC du Rocher-Percé',
  'MRC de La Côte-de-Gaspé', 'MRC de La Haute-Gaspésie', 'MRC de La Matanie', 'MRC de La Matapédia', 'MRC de La Mitis',
  'MRC de Rimouski-Neigette', 'MRC de Rivière-du-Loup', "MRC de L'Islet", 'MRC de Montmagny', 'MRC de Beauce-Sartigan',
  'MRC Robert-Cliche', 'MRC de La Nouvelle-Beauce', 'MRC de Beauce-Centre', 'MRC de La Jacques-Cartier',
  'MRC de La Côte-de-Beaupré', "MRC de L'Île-d'Orléans", 'MRC de Charlevoix-Est', 'MRC de La Haute-Yamaska',
  "MRC de Marguerite-D'Youville", 'MRC de Pierre-De Saurel', 'MRC de La Vallée-du-Richelieu', 'MRC du Haut-Richelieu',
  'MRC du Haut-Saint-Laurent', 'MRC de Deux-Montagnes', 'MRC de Thérèse-De Blainville', 'MRC de La Rivière-du-Nord',
  'MRC de Maskinongé', 'MRC du Haut-Saint-Maurice', 'MRC de Lac-Saint-Jean-Est', "MRC d'Abitibi-Ouest",
  "MRC de La Vallée-de-l'Or", 'MRC de La Tuque', 'MRC de Caniapiscau', 'MRC de Brome',
];

// Streets with their article, so that titles read « de la rue… », « du chemin… », « de l’avenue… ».
const STREETS: ReadonlyArray<readonly [string, 'la' | 'le' | 'l’']> = [
  ['rue Principale', 'la'], ['rue de l’Église', 'la'], ['rue des Érables', 'la'], ['rue du Couvent', 'la'], ['rue Notre-Dame', 'la'],
  ['rue Saint-Jean', 'la'], ['rue du Moulin', 'la'], ['rue des Pins', 'la'], ['rue de la Gare', 'la'], ['rue Commerciale', 'la'],
  ['chemin du Lac', 'le'], ['chemin du Roy', 'le'], ['rang Saint-Joseph', 'le'], ['rang du Nord', 'le'], ['boulevard Laurier', 'le'],
  ['avenue du Parc', 'l’'], ['montée du Rocher', 'la'], ['route 132', 'la'], ['route 173', 'la'], ['rue des Bouleaux', 'la'],
  ['rue Champlain', 'la'], ['rue Wilfrid-Laurier', 'la'], ['rue Dollard', 'la'], ['chemin de la Rivière', 'le'], ['rue Sainte-Anne', 'la'],
  ['rue Victoria', 'la'], ['rue Frontenac', 'la'], ['avenue des Cèdres', 'l’'],
];

export interface PersonName {
  givenName: string;
  familyName: string;
}

/** A seeded namer: everything it draws comes from `random` (faker included, seeded from it). */
export class Namer {
  private readonly faker: Faker;

  constructor(private readonly random: Random) {
    this.faker = new Faker({ locale: [fr_CA, fr, base] });
    this.faker.seed(random.uint32());
  }

  person(): PersonName {
    const female = this.random.chance(0.5);
    const givenName = this.random.chance(0.75)
      ? this.random.pick(female ? GIVEN_FEMALE : GIVEN_MALE)
      : this.faker.person.firstName(female ? 'female' : 'male');
    const familyName = this.random.chance(0.8) ? this.random.pick(FAMILY) : this.faker.person.lastName();
    return { givenName, familyName };
  }

  familyName(): string {
    return this.random.pick(FAMILY);
  }

  /** A plausible municipality's proper name (without its type): Saint-Isidore-de-Beauce, Lac-Drolet, Canton de Potton… */
  placeName(): { name: string; township: boolean; saint: boolean } {
    const draw = this.random.next();
    if (draw < 0.55) {
      const saint = this.random.pick(SAINTS);
      return { name: this.random.chance(0.6) ? `${saint}-${this.random.pick(SAINT_QUALIFIERS)}` : saint, township: false, saint: true };
    }
    if (draw < 0.8) {
      const [stem, endings] = this.random.pick(PLACE_STEMS);
      return { name: `${stem}-${this.random.pick(endings)}`, township: false, saint: false };
    }
    if (draw < 0.9) return { name: this.random.pick(TOWNSHIPS), township: true, saint: false };
    const family = this.random.pick(FAMILY).replace(/^St-/, 'Saint-');
    return { name: this.random.chance(0.5) ? `${family}ville` : `${family}-sur-le-Lac`, township: false, saint: false };
  }

  /** A name not yet in `taken` (added to it): a cardinal suffix settles the rare collisions. */
  uniquePlaceName(taken: Set<string>): { name: string; township: boolean; saint: boolean } {
    for (let attempt = 0; attempt < 20; attempt++) {
      const place = this.placeName();
      if (!taken.has(place.name)) {
        taken.add(place.name);
        return place;
      }
    }
    const place = this.placeName();
    for (let index = 0; ; index++) {
      const name = `${place.name}-${CARDINAL[index % CARDINAL.length]}${index >= CARDINAL.length ? `-${Math.floor(index / CARDINAL.length) + 1}` : ''}`;
      if (!taken.has(name)) {
        taken.add(name);
        return { ...place, name };
      }
    }
  }

  /** A street, with the preposition that introduces it: `{ name: 'chemin du Lac', of: 'du chemin du Lac' }`. */
  street(): { name: string; of: string } {
    const [name, article] = this.random.pick(STREETS);
    return { name, of: article === 'le' ? `du ${name}` : article === 'la' ? `de la ${name}` : `de l’${name}` };
  }

  consultingFirmName(): string {
    const a = this.familyName();
    const b = this.familyName();
    return this.random.pick([
      `${a} ${b} ingénieurs-conseils inc.`,
      `Groupe ${a} experts-conseils inc.`,
      `${a}, ${b} et associés inc.`,
      `Les Services d’ingénierie ${a} inc.`,
      `Consultants ${a} ltée`,
      `Génie-Conseil ${a}-${b} inc.`,
      `${a} Infrastructures inc.`,
    ]);
  }

  auditingFirmName(): string {
    const a = this.familyName();
    const b = this.familyName();
    return this.random.pick([`${a} ${b} CPA S.E.N.C.R.L.`, `${a} et associés, comptables professionnels agréés`, `Vérification ${a} inc.`, `${a}, ${b}, CPA inc.`]);
  }

  consultantName(person: PersonName): string {
    return this.random.pick([
      `${person.givenName} ${person.familyName}, consultant en infrastructures municipales`,
      `${person.givenName} ${person.familyName}, urbaniste-conseil`,
      `Services-conseils ${person.familyName}`,
    ]);
  }

  collaboratorName(): string {
    const a = this.familyName();
    return this.random.pick([`Atelier ${a} urbanisme inc.`, `Laboratoire ${a} géotechnique inc.`, `Arpenteurs ${a} et associés`, `${a} Environnement inc.`]);
  }
}

/** Lower-case ASCII for e-mail addresses and domains, as the demo data writes them. */
export const ascii = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
