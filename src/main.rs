//! Thin binary: parse the command line, set up logging, call the library.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

use kommentarsvakt::cli::{ArchiveCommand, Cli, Command, CommentsCommand, HoldTarget, LogFormat};
use kommentarsvakt::clock::SystemClock;
use kommentarsvakt::config::{self, ConfigError};
use kommentarsvakt::daemon::{self, Daemon, install_signal_handlers};
use kommentarsvakt::pipeline::{ArchiveAccess, Pipeline};
use kommentarsvakt::platforms::simulator;
use kommentarsvakt::store::{HoldScope, RunTrigger};
use kommentarsvakt::telemetry::journald;
use kommentarsvakt::{archive, classify, demo, store};

/// glibc's malloc gives each thread that allocates its own arena (up to
/// eight per core) and raises its mmap threshold after large frees, so
/// memory freed by the classifier's set-up and by one comment's work stays
/// with the process: a monitoring run over 800 accounts peaked at 109 MiB
/// resident with a 52 MiB live heap (`cargo bench --bench memory`, with
/// `KOMMENTARSVAKT_BENCH_PROFILER=heaptrack`). Two arenas, a fixed 128 KiB
/// mmap threshold and trimming above 128 KiB return it. An operator's own
/// `MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_` or `MALLOC_TRIM_THRESHOLD_`
/// wins. Called first, before any other thread exists.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_allocator_retention() {
    const SETTINGS: [(&str, libc::c_int, libc::c_int); 3] = [
        ("MALLOC_ARENA_MAX", libc::M_ARENA_MAX, 2),
        ("MALLOC_MMAP_THRESHOLD_", libc::M_MMAP_THRESHOLD, 128 * 1024),
        ("MALLOC_TRIM_THRESHOLD_", libc::M_TRIM_THRESHOLD, 128 * 1024),
    ];
    for (variable, parameter, value) in SETTINGS {
        if std::env::var_os(variable).is_none() {
            // SAFETY: mallopt only sets a parameter of the allocator, and no
            // other thread is running yet.
            unsafe { libc::mallopt(parameter, value) };
        }
    }
}

/// Other allocators keep their own defaults.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_allocator_retention() {}

fn main() -> ExitCode {
    limit_allocator_retention();
    make_created_files_private();
    let cli = Cli::parse();
    // The demo prints its own summary; only problems are logged there.
    let default_filter = match cli.command {
        Command::Demo { .. } => "warn",
        _ => "info,sqlx=warn",
    };
    init_logging(cli.log_format, default_filter);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(execute(cli.command)) {
        Ok(code) => code,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs as `format` asks; under systemd (`auto`), to the journal with each
/// event's priority, so `journalctl -p warning` shows the warnings.
fn init_logging(format: LogFormat, default_filter: &str) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;

    let filter = || {
        EnvFilter::try_from_env("KOMMENTARSVAKT_LOG")
            .unwrap_or_else(|_| EnvFilter::new(default_filter))
    };
    // Colours only for a person at a terminal, not in files or pipes.
    let text = || {
        tracing_subscriber::fmt()
            .with_env_filter(filter())
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .with_writer(std::io::stderr)
    };
    let to_journal = match format {
        LogFormat::Json => return text().json().init(),
        LogFormat::Text => return text().init(),
        LogFormat::Auto if !journald::stderr_is_journal() => return text().init(),
        LogFormat::Auto | LogFormat::Journald => journald::socket_path(),
    };
    match journald::JournaldLayer::connect(&to_journal) {
        Ok(layer) => tracing_subscriber::registry()
            .with(filter())
            .with(layer)
            .init(),
        Err(error) => {
            text().init();
            tracing::warn!(
                socket = %to_journal.display(),
                %error,
                "The journal cannot be reached; logging text to stderr"
            );
        }
    }
}

/// Files and directories the service creates are private to its user and
/// group (0640 and 0750), whatever umask it was started with: the
/// database, the evidence archive, the mail folder and exports hold
/// personal data. Set before anything is created.
fn make_created_files_private() {
    // SAFETY: umask only changes this process's file-creation mask; it
    // cannot fail and touches no memory.
    unsafe {
        libc::umask(0o027);
    }
}

async fn execute(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Run { config } => {
            let cfg = load_config(&config)?;
            let shutdown = CancellationToken::new();
            let reload = install_signal_handlers(shutdown.clone())?;
            let Some(lead) = daemon::stand_by(&cfg.database_url, &shutdown).await? else {
                return Ok(ExitCode::SUCCESS);
            };
            let pipeline = Pipeline::build(cfg, Arc::new(SystemClock))
                .await
                .context("starting the service")?;
            Daemon::new(pipeline, Some(config))
                .with_lead(lead)
                .run(shutdown, reload)
                .await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::PollOnce { config } => {
            let cfg = load_config(&config)?;
            let crisis = cfg.crisis.enabled;
            let _lead = store::leader::try_lead(&cfg.database_url).await?.context(
                "another instance leads the monitoring on this database; a manual run \
                     beside it could act on the same comments — stop it or let it run",
            )?;
            let pipeline = Pipeline::build(cfg, Arc::new(SystemClock))
                .await
                .context("starting the service")?;
            let summary = pipeline.run(RunTrigger::Manual, None, crisis).await;
            pipeline.shutdown().await;
            let summary = summary?;
            println!("{summary:#?}");
            Ok(if summary.accounts_failed == 0 && !summary.archive_failed {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(3)
            })
        }
        Command::CheckConfig { file, no_secrets } => Ok(check_config(&file, no_secrets)),
        Command::Simulate {
            listen,
            pages,
            seed,
            call_log,
        } => {
            let handle = simulator::Simulator::start(
                simulator::SimulatorConfig {
                    pages,
                    seed,
                    call_log,
                    ..Default::default()
                },
                Arc::new(SystemClock),
                listen,
            )
            .await?;
            println!(
                "Simulator listening on {} (Graph API {})",
                handle.base_url(),
                handle.api_version()
            );
            for page in handle.pages() {
                println!("  page {} — {}", page.id, page.name);
            }
            tokio::signal::ctrl_c().await?;
            handle.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo {
            data,
            cycles,
            serve,
            listen,
            lang,
        } => {
            let console = serve.then_some(demo::Console { listen });
            let lang = kommentarsvakt::web::layout::Lang::parse(&lang);
            demo::run(&data, cycles, console, lang).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Archive { command } => records_command(command).await,
        Command::Comments {
            command:
                CommentsCommand::Restore {
                    config,
                    comment_id,
                    reason,
                    by,
                },
        } => {
            // A restore changes the platform and the database, not the archive.
            let pipeline = build_pipeline_with_secrets(
                &config,
                "comments restore",
                "shows the comment again on its platform",
            )
            .await?;
            let by = actor(by);
            let outcome = pipeline
                .restore(&comment_id, &reason, &by)
                .await
                .with_context(|| format!("restoring comment {comment_id}"))?;
            println!(
                "Comment {comment_id} restored ({:?}); {} ticket(s) closed",
                outcome.state, outcome.tickets_closed
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Classify {
            text,
            jsonl,
            config,
            features,
            rules_only,
        } => {
            if features {
                classify::jsonl::print_features(std::io::stdin().lock(), std::io::stdout().lock())?;
                return Ok(ExitCode::SUCCESS);
            }
            // With a config, the city's policy and word lists.
            let (policy, classifier) = match config {
                Some(path) => {
                    let config = load_config(&path)?;
                    (config.policy, config.classify.classifier())
                }
                None if rules_only => (
                    classify::jsonl::DEFAULT_POLICY,
                    classify::Classifier::rules_only(),
                ),
                None => (
                    classify::jsonl::DEFAULT_POLICY,
                    classify::Classifier::standard(),
                ),
            };
            let moderator = classify::jsonl::Moderator::new(
                &classifier,
                policy,
                classify::jsonl::FACEBOOK_CAPABILITIES,
            );
            if jsonl {
                let summary = moderator.run(std::io::stdin().lock(), std::io::stdout().lock())?;
                tracing::info!(
                    classified = summary.classified,
                    errors = summary.errors,
                    "Classified the input lines."
                );
            } else {
                let verdict = moderator.verdict(serde_json::Value::Null, &text.unwrap_or_default());
                println!("{}", serde_json::to_string_pretty(&verdict)?);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { corpus, labelled } => {
            let corpus = classify::eval::corpus_dir(corpus.as_deref());
            let report =
                classify::eval::evaluate(&classify::Classifier::standard(), &corpus, &labelled)?;
            print!("{report}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Tickets { config, command } => {
            let cfg = load_config_without_secrets(&config)?;
            let store = open_existing_store(&cfg.database_url).await?;
            let output =
                kommentarsvakt::tickets::commands::run(&store, &cfg, command, chrono::Utc::now())
                    .await?;
            print!("{output}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            config,
            from,
            to,
            department,
            format,
            output,
        } => report_command(&config, from, to, department.as_deref(), format, output).await,
        Command::Checks { config, dry_run } => checks_command(&config, dry_run).await,
        Command::Accounts { config, command } => accounts_command(&config, command).await,
    }
}

/// `kommentarsvakt checks`: runs the daily checks now and prints each
/// finding. Without `--dry-run` new findings are queued as e-mails, and
/// sent at once unless a running service leads (it then sends them), so
/// it needs the service's secrets.
async fn checks_command(config: &std::path::Path, dry_run: bool) -> anyhow::Result<ExitCode> {
    use kommentarsvakt::report::checks;
    if dry_run {
        return checks_dry_run(config).await;
    }
    let now = chrono::Utc::now();
    let pipeline = build_pipeline_with_secrets(
        config,
        "checks",
        "queues e-mail and reads the accounts' profiles",
    )
    .await?;
    let reads = pipeline.read_for_checks().await?;
    pipeline.tell_read_failures(&reads).await?;
    let outcome = checks::run(pipeline.store(), pipeline.config(), &reads, now).await;
    let delivered = deliver_unless_led(&pipeline).await;
    pipeline.shutdown().await;
    let outcome = outcome?;
    delivered?;
    println!(
        "{} new finding(s) queued for e-mail, {} cleared since the last check",
        outcome.mailed, outcome.cleared
    );
    print_checks(pipeline.config(), &reads, &outcome.findings);
    Ok(ExitCode::SUCCESS)
}

/// Why a dry run from a shell without the service's secrets reads no
/// profile: the listing shows it beside each account.
const NO_TOKEN_IN_THIS_SHELL: &str = "no token in this shell";

/// `kommentarsvakt checks --dry-run`: lists the findings and sends
/// nothing. With the secrets it reads every profile as the service does;
/// from an operator's shell without them each profile read is skipped and
/// every other check still runs on the service's database.
async fn checks_dry_run(config: &std::path::Path) -> anyhow::Result<ExitCode> {
    let now = chrono::Utc::now();
    let (cfg, reads, findings) = match config::load(config) {
        Ok(cfg) => {
            let pipeline =
                Pipeline::build_with(cfg, Arc::new(SystemClock), ArchiveAccess::ReadOnly)
                    .await
                    .context("starting the service")?;
            let reads = pipeline.read_for_checks().await;
            let found = find_checks(pipeline.store(), pipeline.config(), reads, now).await;
            pipeline.shutdown().await;
            let (reads, findings) = found?;
            (pipeline.config().clone(), reads, findings)
        }
        Err(with_secrets) => {
            // Problems other than the secrets fail here, all of them named.
            let cfg = load_config_without_secrets(config)?;
            tracing::info!(problems = %with_secrets, "The service's secrets are not readable here");
            println!(
                "The service's secrets are not readable in this shell: no profile is read, \
                 every other check runs (`check-config` names the secrets)."
            );
            let store = open_existing_store(&cfg.database_url).await?;
            let reads =
                kommentarsvakt::pipeline::unread_for_checks(&store, &cfg, NO_TOKEN_IN_THIS_SHELL)
                    .await;
            let found = find_checks(&store, &cfg, reads, now).await;
            store.close().await;
            let (reads, findings) = found?;
            (cfg, reads, findings)
        }
    };
    print_checks(&cfg, &reads, &findings);
    Ok(ExitCode::SUCCESS)
}

/// The findings of a dry run on `reads`, with the reads, for the listing;
/// the caller closes the store whatever the outcome.
async fn find_checks(
    store: &store::Store,
    cfg: &config::Config,
    reads: Result<
        kommentarsvakt::report::checks::PlatformReads,
        kommentarsvakt::pipeline::PipelineError,
    >,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<(
    kommentarsvakt::report::checks::PlatformReads,
    Vec<kommentarsvakt::report::checks::CheckFinding>,
)> {
    let reads = reads?;
    let findings = kommentarsvakt::report::checks::find(store, cfg, &reads, now).await?;
    Ok((reads, findings))
}

/// Prints what the checks could not read, what a platform keeps from
/// being checked, and every finding.
fn print_checks(
    cfg: &config::Config,
    reads: &kommentarsvakt::report::checks::PlatformReads,
    findings: &[kommentarsvakt::report::checks::CheckFinding],
) {
    use kommentarsvakt::report::checks;
    for (key, read) in &reads.profiles {
        match read {
            checks::ProfileRead::Read(_) => {}
            checks::ProfileRead::Failed(error) => {
                println!("{key}: profile not read ({error}); its basic information is not checked")
            }
            checks::ProfileRead::Skipped(reason) => {
                println!("{key}: profile not read ({reason}); its basic information is not checked")
            }
        }
    }
    for note in checks::unverifiable(cfg, &reads.profiles) {
        println!("{}: {}", note.account_key, note.line);
    }
    for finding in findings {
        println!(
            "{}: {} ({})",
            finding.account_key,
            finding.problem.title(),
            finding.check.name()
        );
    }
    if findings.is_empty() {
        println!("No findings.");
    }
}

/// `kommentarsvakt accounts close KEY [--date DATE]`.
async fn accounts_command(
    config: &std::path::Path,
    command: kommentarsvakt::cli::AccountsCommand,
) -> anyhow::Result<ExitCode> {
    let kommentarsvakt::cli::AccountsCommand::Close { key, date } = command;
    let pipeline = build_pipeline_with_secrets(
        config,
        "accounts close",
        "e-mails the account's responsible person",
    )
    .await?;
    let closing = pipeline.close_account(&key, date).await;
    let delivered = deliver_unless_led(&pipeline).await;
    pipeline.shutdown().await;
    let closing_date = closing?;
    delivered?;
    println!(
        "Account {key} is closing: monitored until the end of {closing_date}, then its archive \
         package is exported to {} and it is no longer polled. Its responsible person is \
         reminded to post the closing notice.",
        pipeline.closing_package_dir(&key, closing_date).display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Sends what the outbox holds, unless a running service leads the
/// database: it sends them itself, and two senders could send one twice.
async fn deliver_unless_led(pipeline: &Pipeline) -> anyhow::Result<()> {
    let Some(_lead) = store::leader::try_lead(&pipeline.config().database_url).await? else {
        println!("The running service leads on this database; it sends the e-mails.");
        return Ok(());
    };
    let mut summary = kommentarsvakt::pipeline::RunSummary::default();
    pipeline.deliver_outbox(&mut summary).await?;
    Ok(())
}

/// `kommentarsvakt report`: reads the period from the store and writes
/// the HTML page or the CSV to `output` (standard output without one).
async fn report_command(
    config: &std::path::Path,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    department: Option<&str>,
    format: kommentarsvakt::cli::ReportFormat,
    output: Option<std::path::PathBuf>,
) -> anyhow::Result<ExitCode> {
    use kommentarsvakt::report;
    let cfg = load_config_without_secrets(config)?;
    let period = report::Period::new(from, to)?;
    let store = open_existing_store(&cfg.database_url).await?;
    let built = report::build(&store, &cfg, period, department, chrono::Utc::now()).await?;
    // Made in full before anything is written: a failure leaves no file.
    let bytes = match format {
        kommentarsvakt::cli::ReportFormat::Html => report::html::render(&built)?.into_bytes(),
        kommentarsvakt::cli::ReportFormat::Csv => report::csv::render(&built)?.into_bytes(),
        kommentarsvakt::cli::ReportFormat::Pdf => {
            report::pdf::render(&built, &cfg.chromium_path).await?
        }
    };
    match output {
        Some(path) => std::fs::write(&path, bytes)
            .with_context(|| format!("writing the report to {}", path.display()))?,
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|()| stdout.flush())
                .context("writing the report to standard output")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The records-management commands: cull, hold, release, export, register.
async fn records_command(command: ArchiveCommand) -> anyhow::Result<ExitCode> {
    match command {
        ArchiveCommand::Verify {
            config,
            dir,
            anchors,
        } => verify(&config, dir, anchors).await,
        ArchiveCommand::Cull {
            config,
            dry_run,
            by,
        } => cull(&config, dry_run, &actor(by)).await,
        ArchiveCommand::Hold {
            config,
            target,
            reason,
            by,
        } => {
            let (scope, subject) = hold_target(target)?;
            let (cfg, store) = open_for_records(&config).await?;
            let placed = place_hold(&cfg, &store, scope, &subject, &reason, &actor(by)).await;
            store.close().await;
            let id = placed?;
            println!("Legal hold #{id} placed on {} {subject}", scope.as_str());
            Ok(ExitCode::SUCCESS)
        }
        ArchiveCommand::Release {
            config,
            target,
            reason,
            by,
        } => {
            let (scope, subject) = hold_target(target)?;
            let (_, store) = open_for_records(&config).await?;
            let released = store
                .release_legal_hold(scope, &subject, &reason, &actor(by), chrono::Utc::now())
                .await;
            store.close().await;
            let released = released?;
            println!(
                "{released} legal hold(s) released on {} {subject}",
                scope.as_str()
            );
            Ok(if released > 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        ArchiveCommand::Export {
            config,
            account,
            from,
            to,
            out,
        } => {
            let cfg = load_config(&config)?;
            let Some(account_cfg) = cfg.accounts.iter().find(|a| a.key == account) else {
                anyhow::bail!("no account with key {account} in {}", config.display());
            };
            let department = cfg
                .department(&account_cfg.department)
                .map(|d| d.name.as_str());
            let summary = archive::export::export(
                &cfg.archive_dir,
                &archive::export::ExportRequest {
                    account_key: &account,
                    account_name: &account_cfg.name,
                    department,
                    from,
                    to,
                    created_at: chrono::Utc::now(),
                    schemas_dir: cfg.export_schemas_dir.as_deref(),
                },
                &out,
            )
            .with_context(|| format!("exporting to {}", out.display()))?;
            print_export_summary(&summary, &out);
            Ok(ExitCode::SUCCESS)
        }
        ArchiveCommand::Register {
            config,
            from,
            to,
            out,
        } => register(&config, from, to, out.as_deref()).await,
    }
}

/// What `archive export` wrote, and, never silently, every reason the
/// package is not CSIP-complete (logged as a warning too).
fn print_export_summary(summary: &archive::export::ExportSummary, out: &std::path::Path) {
    println!(
        "Package {} written to {}: {} record(s), {} image(s), {} schema file(s)",
        summary.objid,
        out.display(),
        summary.records,
        summary.images,
        summary.schemas
    );
    if summary.is_csip_complete() {
        println!("The package carries a schema for every standard it uses (CSIP-complete).");
        return;
    }
    println!("WARNING: the package is NOT CSIP-complete:");
    for gap in &summary.schema_gaps {
        tracing::warn!(package = %summary.objid, "{gap}");
        println!("  - {gap}");
    }
}

/// `archive verify`: prints every problem, then every recovery after a
/// crash; exit code 1 if any problem. With the config (not `--dir`), the
/// chain is also checked against the anchor kept in the database; with
/// `--anchor`, against each anchor given (from the daily digest to the
/// registry).
async fn verify(
    config: &std::path::Path,
    dir: Option<std::path::PathBuf>,
    mut anchors: Vec<archive::AnchorCheck>,
) -> anyhow::Result<ExitCode> {
    let dir = match dir {
        Some(d) => {
            eprintln!(
                "The chain anchor in the database is not checked with --dir; give --config to \
                 check it{}.",
                if anchors.is_empty() {
                    ", or --anchor HASH:COUNT from the daily digest to the registry"
                } else {
                    ""
                }
            );
            d
        }
        None => {
            let cfg = load_config_without_secrets(config)?;
            let anchor = latest_chain_anchor(&cfg.database_url).await?;
            anchors.extend(anchor.as_ref().map(archive::AnchorCheck::from_database));
            cfg.archive_dir
        }
    };
    let report = archive::verify_anchored(&dir, &anchors)
        .with_context(|| format!("verifying {}", dir.display()))?;
    for anchor in &anchors {
        match anchor.source {
            archive::AnchorSource::Database { anchored_at } => println!(
                "Chain anchor from the database: record #{} ({}), anchored {}",
                anchor.head_seq,
                anchor.head_sha256,
                anchored_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
            archive::AnchorSource::Given => println!(
                "Chain anchor given: record #{} ({})",
                anchor.head_seq, anchor.head_sha256
            ),
        }
    }
    for problem in &report.problems {
        println!("{problem}");
    }
    // What crashes left and the service recovered: for the archivist's
    // account of the archive, not problems.
    for note in &report.recovery {
        println!("{note}");
    }
    println!(
        "{} record(s) checked ({} culled under a culling protocol) in {}: {}",
        report.records_checked,
        report.records_culled,
        dir.display(),
        if report.is_intact() {
            "intact"
        } else {
            "PROBLEMS FOUND"
        }
    );
    Ok(if report.is_intact() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The latest chain anchor in the service's database; `None` when nothing
/// was anchored yet.
async fn latest_chain_anchor(database_url: &str) -> anyhow::Result<Option<archive::ChainAnchor>> {
    let store = open_existing_store(database_url).await?;
    let anchor = store.latest_chain_anchor().await;
    store.close().await;
    Ok(anchor?)
}

/// The service's database for a command that reads what the service
/// wrote (`tickets`, `report`, `archive verify`). An SQLite file that does
/// not exist is an error, not a new empty database: the command was most
/// likely run with another config or from another directory, and an empty
/// answer would look like "nothing happened".
async fn open_existing_store(database_url: &str) -> anyhow::Result<store::Store> {
    if let Some(file) = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or_default())
        .filter(|file| !file.is_empty() && *file != ":memory:")
        && !std::path::Path::new(file).exists()
    {
        anyhow::bail!(
            "the database {file} does not exist; is this the service's config (database.url), \
             and a relative path meant from this directory? Nothing was created."
        );
    }
    store::Store::connect(database_url)
        .await
        .context("opening the database")
}

async fn cull(config: &std::path::Path, dry_run: bool, by: &str) -> anyhow::Result<ExitCode> {
    let access = if dry_run {
        ArchiveAccess::ReadOnly
    } else {
        ArchiveAccess::Write
    };
    let pipeline = build_pipeline(config, access).await?;
    let retention = &pipeline.config().retention;
    let now = pipeline.clock().now();
    if dry_run {
        let plan = archive::retention::plan(pipeline.store(), retention, now).await?;
        println!("record\tcomment\taccount\trule\tage_days");
        for item in &plan.to_cull {
            let c = &item.candidate;
            println!(
                "{}\t{}\t{}\t{}\t{}",
                c.record_path,
                c.platform_comment_id,
                c.account_key,
                item.rule.name,
                item.age.num_days()
            );
        }
        println!(
            "{} record(s) would be culled; {} kept by a legal hold",
            plan.to_cull.len(),
            plan.held.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let outcome =
        archive::retention::cull(pipeline.store(), pipeline.archive(), retention, now, by).await;
    if let Err(archive::retention::RetentionError::RefusedPaths(refused)) = &outcome {
        // Queued for the service to send, as its own refusals are.
        daemon::report_refused_cull_paths(&pipeline, refused).await;
    }
    pipeline.shutdown().await;
    let outcome = outcome?;
    match &outcome.protocol_path {
        Some(path) => println!(
            "{} record(s) culled; culling protocol {path}; {} kept by a legal hold",
            outcome.culled.len(),
            outcome.held
        ),
        None => println!(
            "Nothing is due for culling; {} kept by a legal hold",
            outcome.held
        ),
    }
    Ok(ExitCode::SUCCESS)
}

async fn register(
    config: &std::path::Path,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    out: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    let pipeline = build_pipeline(config, ArchiveAccess::ReadOnly).await?;
    let tz = pipeline.config().schedule.timezone();
    let start = local_midnight(from, tz)?;
    let end = local_midnight(to + chrono::Duration::days(1), tz)?;
    let rows = match out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            archive::register::write_register(pipeline.store(), start, end, tz, file).await?
        }
        None => {
            archive::register::write_register(pipeline.store(), start, end, tz, std::io::stdout())
                .await?
        }
    };
    eprintln!("{rows} removed comment(s) in the register");
    Ok(ExitCode::SUCCESS)
}

fn local_midnight(
    date: chrono::NaiveDate,
    tz: chrono_tz::Tz,
) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone;
    tz.from_local_datetime(&date.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok_or_else(|| anyhow::anyhow!("{date} has no midnight in {tz}"))
}

fn hold_target(target: HoldTarget) -> anyhow::Result<(HoldScope, String)> {
    match (target.account, target.comment) {
        (Some(account), None) => Ok((HoldScope::Account, account)),
        (None, Some(comment)) => Ok((HoldScope::Comment, comment)),
        _ => anyhow::bail!("give exactly one of --account KEY or --comment ID"),
    }
}

/// The config (read without secrets) and the service's existing database,
/// for the records commands that only write the database: a legal hold
/// or its release needs no token and no password, so it works from an
/// operator's shell that holds none.
async fn open_for_records(
    config: &std::path::Path,
) -> anyhow::Result<(config::Config, store::Store)> {
    let cfg = load_config_without_secrets(config)?;
    let store = open_existing_store(&cfg.database_url).await?;
    Ok((cfg, store))
}

/// Places a legal hold on a known account or comment; a hold on a
/// mistyped key or id would protect nothing, silently.
async fn place_hold(
    cfg: &config::Config,
    store: &store::Store,
    scope: HoldScope,
    subject: &str,
    reason: &str,
    by: &str,
) -> anyhow::Result<i64> {
    let known = match scope {
        HoldScope::Account => cfg.accounts.iter().any(|a| a.key == subject),
        HoldScope::Comment => !store.comment_versions(subject).await?.is_empty(),
    };
    if !known {
        anyhow::bail!(
            "no {} {subject} is known; check the key or id (nothing was held)",
            scope.as_str()
        );
    }
    Ok(store
        .place_legal_hold(scope, subject, reason, by, chrono::Utc::now())
        .await?)
}

/// Who runs a command: `--by`, else the login name.
fn actor(by: Option<String>) -> String {
    by.or_else(|| std::env::var("USER").ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "operator".to_string())
}

/// The pipeline for an operator command that sends e-mail or calls a
/// platform, so needs the service's secrets; a missing one is named with
/// the command that needs it (commands that only read or write the
/// database use [`load_config_without_secrets`] instead).
async fn build_pipeline_with_secrets(
    config: &std::path::Path,
    command: &str,
    needs: &str,
) -> anyhow::Result<Pipeline> {
    let cfg = config::load(config).map_err(|e| {
        anyhow::anyhow!(
            "`{command}` {needs}, so it reads the service's secrets: run it with the \
             service's environment (the variables of its EnvironmentFile, read access to \
             its token files and credentials).\n{e}"
        )
    })?;
    Pipeline::build_with(cfg, Arc::new(SystemClock), ArchiveAccess::ReadOnly)
        .await
        .context("starting the service")
}

/// The pipeline for an operator command; only commands that write the
/// archive take its writer lock.
async fn build_pipeline(
    config: &std::path::Path,
    access: ArchiveAccess,
) -> anyhow::Result<Pipeline> {
    let cfg = load_config(config)?;
    Pipeline::build_with(cfg, Arc::new(SystemClock), access)
        .await
        .context("starting the service")
}

fn load_config(path: &std::path::Path) -> anyhow::Result<config::Config> {
    config::load(path).map_err(|e| anyhow::anyhow!("{e}"))
}

/// The config for a command that reads what the service wrote and needs
/// no secret, so it works from an operator's shell that holds none.
fn load_config_without_secrets(path: &std::path::Path) -> anyhow::Result<config::Config> {
    config::load_without_secrets(path).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Prints every problem and returns exit code 2 when the config is invalid.
/// Prints a warning for each LinkedIn account whose `LinkedIn-Version`
/// is sunset within three months and an error for each past it; returns
/// how many are past it.
fn linkedin_versions_past_sunset(accounts: &[config::AccountConfig]) -> usize {
    use kommentarsvakt::domain::linkedin_version::{VersionStatus, version_status};
    let today = chrono::Utc::now().date_naive();
    let mut past = 0;
    for account in accounts {
        if account.platform != kommentarsvakt::domain::PlatformKind::Linkedin {
            continue;
        }
        let key = &account.key;
        let version = &account.api_version;
        match version_status(version, today) {
            Ok(VersionStatus::Supported { .. }) => {}
            Ok(VersionStatus::SunsetSoon { sunset }) => println!(
                "warning: accounts \"{key}\": LinkedIn-Version {version} is supported until \
                 {sunset}; test a newer version and set api_version before then"
            ),
            Ok(VersionStatus::Sunset { sunset }) => {
                past += 1;
                println!(
                    "error: accounts \"{key}\": LinkedIn-Version {version} was sunset on \
                     {sunset}; LinkedIn refuses every call: set a supported api_version"
                );
            }
            Err(reason) => println!("error: accounts \"{key}\": {reason}"),
        }
    }
    past
}

fn check_config(file: &std::path::Path, no_secrets: bool) -> ExitCode {
    let checked = if no_secrets {
        config::check_without_secrets(file)
    } else {
        config::load(file).map(|cfg| config::SecretFreeCheck {
            accounts: cfg.accounts,
            needed_secrets: Vec::new(),
        })
    };
    match checked {
        Ok(checked) => {
            for gap in config::register_gaps(&checked.accounts) {
                println!("{gap}");
            }
            let sunset = linkedin_versions_past_sunset(&checked.accounts);
            if sunset > 0 {
                println!(
                    "{}: {sunset} account(s) with a sunset LinkedIn-Version",
                    file.display()
                );
                return ExitCode::from(2);
            }
            let accounts = checked.accounts.len();
            if no_secrets {
                println!(
                    "{}: OK without secrets ({accounts} account(s)); a real run reads {} \
                     secret(s):",
                    file.display(),
                    checked.needed_secrets.len()
                );
                for secret in &checked.needed_secrets {
                    println!("  - {secret}");
                }
            } else {
                println!("{}: OK ({accounts} account(s))", file.display());
            }
            ExitCode::SUCCESS
        }
        Err(e @ ConfigError::Invalid { .. }) | Err(e @ ConfigError::Unreadable { .. }) => {
            println!("{e}");
            ExitCode::from(2)
        }
    }
}
