import { GraphQLError } from 'graphql';
import { formatPublicError } from './request-errors';

describe('formatPublicError', () => {
  it("turns Apollo's uncoded 4xx refusals into BAD_REQUEST, in French", () => {
    const mismatch = new GraphQLError('provided sha does not match query', { extensions: { http: { status: 400 } } });
    expect(formatPublicError({ message: mismatch.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, mismatch)).toEqual({
      message: "L'empreinte sha256Hash de la requête persistée ne correspond pas au texte de l'opération.",
      extensions: { code: 'BAD_REQUEST' },
    });
    const other = new GraphQLError('Something else', { extensions: { http: { status: 400 } } });
    expect(formatPublicError({ message: other.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, other)).toEqual({
      message: 'La requête est invalide.',
      extensions: { code: 'BAD_REQUEST' },
    });
  });

  it('still masks an uncoded error without a 4xx status', () => {
    const crash = new GraphQLError('connect ECONNREFUSED 10.0.0.5');
    expect(formatPublicError({ message: crash.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, crash).extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
    });
  });
});
