CREATE TABLE "guild_settings" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"dj_role_id" text,
	"default_volume" smallint,
	"always_on_channel_id" text,
	"throttle_per_minute" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guild_settings_default_volume_range" CHECK ("guild_settings"."default_volume" between 0 and 200),
	CONSTRAINT "guild_settings_throttle_positive" CHECK ("guild_settings"."throttle_per_minute" > 0)
);
--> statement-breakpoint
CREATE TABLE "play_history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"member_id" text NOT NULL,
	"track_identifier" text NOT NULL,
	"title" text NOT NULL,
	"author" text DEFAULT '' NOT NULL,
	"uri" text,
	"source" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"played_ms" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "play_history_played_ms_nonnegative" CHECK ("play_history"."played_ms" >= 0)
);
--> statement-breakpoint
CREATE TABLE "queue_snapshots" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"snapshot" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "play_history_guild_started_idx" ON "play_history" USING btree ("guild_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "play_history_member_started_idx" ON "play_history" USING btree ("member_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "play_history_started_idx" ON "play_history" USING btree ("started_at");