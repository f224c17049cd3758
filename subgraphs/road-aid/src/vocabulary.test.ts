import { loadCatalogDeclaration } from '@pgamr/kit';
import { RoadAidServiceCode } from './vocabulary';

describe("road-aid's vocabulary", () => {
  it('R23: names exactly the service codes its catalog.json declares', () => {
    const declared = loadCatalogDeclaration(__dirname).services.map((service) => service.code);
    expect(Object.values(RoadAidServiceCode).sort()).toEqual(declared.sort());
  });
});
