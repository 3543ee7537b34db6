import type { Db } from "./database.js";
import type { ReadCache } from "./readCache.js";
import { parseTags, serializeTags, type Tag } from "./tags.js";

export interface SamlProviderRow {
  arn: string;
  accountId: string;
  name: string;
  metadata: string;
  validUntil: number | null;
  tags: Tag[];
  createdAt: number;
}

export interface OidcProviderRow {
  arn: string;
  accountId: string;
  url: string;
  clientIds: string[];
  thumbprints: string[];
  tags: Tag[];
  createdAt: number;
}

const SAML =
  "arn, account_id AS accountId, name, metadata, valid_until AS validUntil, tags, created_at AS createdAt";
const OIDC =
  "arn, account_id AS accountId, url, client_ids AS clientIds, thumbprints, tags, created_at AS createdAt";

type RawSaml = Omit<SamlProviderRow, "tags"> & { tags: string };
type RawOidc = Omit<OidcProviderRow, "tags" | "clientIds" | "thumbprints"> & {
  tags: string;
  clientIds: string;
  thumbprints: string;
};
const samlRow = (r: RawSaml | undefined): SamlProviderRow | undefined =>
  r && { ...r, tags: parseTags(r.tags) };
const oidcRow = (r: RawOidc | undefined): OidcProviderRow | undefined =>
  r && {
    ...r,
    tags: parseTags(r.tags),
    clientIds: JSON.parse(r.clientIds) as string[],
    thumbprints: JSON.parse(r.thumbprints) as string[],
  };

/** IAM SAML and OpenID Connect identity providers. */
export class IdentityProviderRepository {
  private readonly samlGet;
  private readonly samlList;
  private readonly samlUpsert;
  private readonly samlDelete;
  private readonly oidcGet;
  private readonly oidcList;
  private readonly oidcUpsert;
  private readonly oidcDelete;

  constructor(
    db: Db,
    private readonly cache: ReadCache,
  ) {
    this.samlGet = db.prepare(`SELECT ${SAML} FROM saml_providers WHERE arn = ?`);
    this.samlList = db.prepare(`SELECT ${SAML} FROM saml_providers WHERE account_id = ? ORDER BY arn`);
    this.samlUpsert =
      db.prepare(`INSERT INTO saml_providers (arn, account_id, name, metadata, valid_until, tags, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (arn) DO UPDATE SET metadata = excluded.metadata,
      valid_until = excluded.valid_until, tags = excluded.tags`);
    this.samlDelete = db.prepare("DELETE FROM saml_providers WHERE arn = ?");
    this.oidcGet = db.prepare(`SELECT ${OIDC} FROM oidc_providers WHERE arn = ?`);
    this.oidcList = db.prepare(`SELECT ${OIDC} FROM oidc_providers WHERE account_id = ? ORDER BY arn`);
    this.oidcUpsert =
      db.prepare(`INSERT INTO oidc_providers (arn, account_id, url, client_ids, thumbprints, tags, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (arn) DO UPDATE SET url = excluded.url, client_ids = excluded.client_ids,
      thumbprints = excluded.thumbprints, tags = excluded.tags`);
    this.oidcDelete = db.prepare("DELETE FROM oidc_providers WHERE arn = ?");
  }

  getSaml(arn: string): SamlProviderRow | undefined {
    return this.cache.get(`identityProviders.getSaml:${arn}`, () =>
      samlRow(this.samlGet.get(arn) as RawSaml | undefined),
    );
  }

  listSaml(accountId: string): SamlProviderRow[] {
    return (this.samlList.all(accountId) as RawSaml[]).map((r) => samlRow(r)!);
  }

  putSaml(p: SamlProviderRow): void {
    this.cache.clear();
    this.samlUpsert.run(
      p.arn,
      p.accountId,
      p.name,
      p.metadata,
      p.validUntil,
      serializeTags(p.tags),
      p.createdAt,
    );
  }

  deleteSaml(arn: string): boolean {
    this.cache.clear();
    return this.samlDelete.run(arn).changes > 0;
  }

  getOidc(arn: string): OidcProviderRow | undefined {
    return this.cache.get(`identityProviders.getOidc:${arn}`, () =>
      oidcRow(this.oidcGet.get(arn) as RawOidc | undefined),
    );
  }

  listOidc(accountId: string): OidcProviderRow[] {
    return (this.oidcList.all(accountId) as RawOidc[]).map((r) => oidcRow(r)!);
  }

  putOidc(p: OidcProviderRow): void {
    this.cache.clear();
    this.oidcUpsert.run(
      p.arn,
      p.accountId,
      p.url,
      JSON.stringify(p.clientIds),
      JSON.stringify(p.thumbprints),
      serializeTags(p.tags),
      p.createdAt,
    );
  }

  deleteOidc(arn: string): boolean {
    this.cache.clear();
    return this.oidcDelete.run(arn).changes > 0;
  }
}
