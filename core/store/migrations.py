"""Ordered, named schema migrations for the DuckDB store. Append new ones; never edit old ones."""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_playbooks",
        """
        CREATE TABLE playbooks (
            name VARCHAR PRIMARY KEY,
            title VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        );
        CREATE TABLE playbook_versions (
            id VARCHAR PRIMARY KEY,               -- "<name>@v<version>"
            playbook_name VARCHAR NOT NULL REFERENCES playbooks(name),
            version INTEGER NOT NULL,
            content VARCHAR NOT NULL,             -- the YAML exactly as imported
            sha256 VARCHAR NOT NULL,
            change_note VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            UNIQUE (playbook_name, version),
            UNIQUE (playbook_name, sha256)
        );
        CREATE TABLE playbook_chunks (
            id VARCHAR PRIMARY KEY,
            version_id VARCHAR NOT NULL REFERENCES playbook_versions(id),
            ordinal INTEGER NOT NULL,
            clause_type VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,        -- standard | fallback | red_flag | threshold | required
            text VARCHAR NOT NULL,
            risk VARCHAR,
            text_sha256 VARCHAR NOT NULL,
            embedding FLOAT[],
            embedding_model VARCHAR               -- the model that made `embedding`
        );
        CREATE INDEX playbook_chunks_version ON playbook_chunks(version_id);
        """,
    ),
    (
        "0002_embeddings",
        """
        CREATE TABLE embeddings (
            model VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            vector FLOAT[] NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            PRIMARY KEY (model, sha256)
        );
        """,
    ),
    (
        "0003_analyses",
        """
        CREATE TABLE analyses (
            id VARCHAR PRIMARY KEY,
            created_at TIMESTAMP NOT NULL,
            finished_at TIMESTAMP,
            status VARCHAR NOT NULL,              -- running | completed | failed | interrupted
            error VARCHAR,
            document_name VARCHAR NOT NULL,
            document_sha256 VARCHAR,
            document_format VARCHAR,
            document_chars INTEGER,
            document_pages INTEGER,
            document_text VARCHAR,
            playbook_version_id VARCHAR,
            engine VARCHAR NOT NULL,
            parameters JSON NOT NULL,
            key_terms JSON,
            input_warnings JSON,
            usage JSON,
            timings_ms JSON,
            duration_ms DOUBLE
        );
        CREATE INDEX analyses_created_at ON analyses(created_at);
        CREATE INDEX analyses_playbook_version ON analyses(playbook_version_id);
        CREATE INDEX analyses_status ON analyses(status);
        CREATE INDEX analyses_document ON analyses(document_sha256);
        CREATE TABLE clauses (
            analysis_id VARCHAR NOT NULL,
            id VARCHAR NOT NULL,
            ordinal INTEGER NOT NULL,
            start_offset INTEGER NOT NULL,
            end_offset INTEGER NOT NULL,
            number VARCHAR,
            heading VARCHAR,
            section VARCHAR,
            page INTEGER,
            labels JSON NOT NULL,
            PRIMARY KEY (analysis_id, id)
        );
        CREATE INDEX clauses_analysis ON clauses(analysis_id);
        CREATE TABLE findings (
            analysis_id VARCHAR NOT NULL,
            id VARCHAR NOT NULL,
            ordinal INTEGER NOT NULL,
            clause_id VARCHAR,
            clause_type VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            risk VARCHAR NOT NULL,
            source_text VARCHAR NOT NULL,
            start_offset INTEGER NOT NULL,
            end_offset INTEGER NOT NULL,
            deviation VARCHAR NOT NULL,
            recommendation VARCHAR NOT NULL,
            retrieved_chunks JSON NOT NULL,
            rule VARCHAR,
            also_types JSON NOT NULL DEFAULT '[]',
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            PRIMARY KEY (analysis_id, id)
        );
        CREATE INDEX findings_analysis ON findings(analysis_id);
        CREATE INDEX findings_risk ON findings(risk);
        CREATE TABLE guardrail_warnings (
            analysis_id VARCHAR NOT NULL,
            ordinal INTEGER NOT NULL,
            kind VARCHAR NOT NULL,
            message VARCHAR NOT NULL,
            finding_id VARCHAR,
            clause_id VARCHAR,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            PRIMARY KEY (analysis_id, ordinal)
        );
        CREATE INDEX guardrail_warnings_analysis ON guardrail_warnings(analysis_id);
        """,
    ),
    (
        "0004_llm_calls",
        """
        CREATE TABLE llm_calls (
            id VARCHAR PRIMARY KEY,
            analysis_id VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            model VARCHAR NOT NULL,
            request_id VARCHAR,
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            cache_creation_input_tokens INTEGER NOT NULL DEFAULT 0,
            cache_read_input_tokens INTEGER NOT NULL DEFAULT 0,
            cost_usd DOUBLE NOT NULL DEFAULT 0,
            price_table_version VARCHAR,
            latency_ms DOUBLE,
            time_to_first_token_ms DOUBLE,
            stop_reason VARCHAR,
            outcome VARCHAR NOT NULL
        );
        CREATE INDEX llm_calls_analysis ON llm_calls(analysis_id);
        CREATE INDEX llm_calls_created_at ON llm_calls(created_at);
        """,
    ),
    (
        "0005_documents",
        """
        -- The uploaded bytes, once per content hash, so any analysis can be re-run later
        -- (e.g. against another playbook version) exactly as the file was.
        CREATE TABLE documents (
            sha256 VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            size_bytes BIGINT NOT NULL,
            content BLOB NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        );
        """,
    ),
    (
        "0006_document_warnings",
        "ALTER TABLE analyses ADD COLUMN document_warnings JSON;",
    ),
    (
        "0007_analyses_user",
        # Who ran the analysis when sign-in is configured (email, else name or subject);
        # NULL for the CLI and for dashboards without sign-in.
        "ALTER TABLE analyses ADD COLUMN user VARCHAR;",
    ),
    (
        "0009_llm_call_detail",
        """
        -- Why a call did not end "ok" (the error, the cut, the invalid JSON), and which clauses
        -- it judged, so the ledger explains every fallback.
        ALTER TABLE llm_calls ADD COLUMN detail VARCHAR;
        ALTER TABLE llm_calls ADD COLUMN clause_ids JSON;
        """,
    ),
    (
        "0010_analyses_contract_type",
        # What kind of contract the document was read as (core/doctype), as JSON.
        "ALTER TABLE analyses ADD COLUMN contract_type JSON;",
    ),
    (
        "0011_verdicts",
        """
        -- How each analysed contract stands on each check of its playbook (core/verdicts):
        -- one row per check, so Insights can count how often a position is met.
        CREATE TABLE verdicts (
            analysis_id VARCHAR NOT NULL,
            ordinal INTEGER NOT NULL,
            check_id VARCHAR NOT NULL,
            verdict VARCHAR NOT NULL,
            confidence DOUBLE NOT NULL,
            evidence JSON NOT NULL,
            finding_id VARCHAR,
            name VARCHAR NOT NULL,
            statement VARCHAR NOT NULL,
            wanted BOOLEAN NOT NULL,
            required BOOLEAN NOT NULL,
            PRIMARY KEY (analysis_id, check_id)
        );
        CREATE INDEX verdicts_analysis ON verdicts(analysis_id);
        """,
    ),
    (
        "0012_decisions",
        """
        -- A reviewer's decisions on findings (core/review): append-only events, never updated,
        -- so the analysis stays as produced and the history of a review can be shown.
        CREATE TABLE decisions (
            analysis_id VARCHAR NOT NULL,
            ordinal INTEGER NOT NULL,
            finding_id VARCHAR NOT NULL,
            action VARCHAR NOT NULL,
            reason VARCHAR,
            risk VARCHAR,
            recommendation VARCHAR,
            note VARCHAR,
            user VARCHAR,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            PRIMARY KEY (analysis_id, ordinal)
        );
        """,
    ),
    (
        "0013_audit_log",
        """
        -- Who did what that cannot be seen any more, e.g. deleting an analysis: one row per act,
        -- never changed. (The ledger of LLM calls is kept when an analysis goes: money spent.)
        CREATE TABLE audit_log (
            happened_at TIMESTAMP NOT NULL,
            user VARCHAR,
            action VARCHAR NOT NULL,
            analysis_id VARCHAR,
            detail JSON
        );
        """,
    ),
    (
        "0014_playbook_drafts",
        # A version made in the dashboard starts as a draft: analyses that name no version keep
        # using the latest published one until someone publishes it (a row here until then;
        # a table, not a column: DuckDB cannot update a row other tables' keys refer to).
        "CREATE TABLE playbook_drafts (version_id VARCHAR PRIMARY KEY);",
    ),
]
